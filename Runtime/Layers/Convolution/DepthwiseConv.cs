namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>DepthwiseConv1D/2D</c>: each input channel convolved with its own <c>depth_multiplier</c> kernels
/// (a grouped convolution with one group per channel), then bias and activation, as in
/// keras/src/layers/convolution/base_depthwise_conv.py. The kernel is <c>(k..., in, depth_multiplier)</c>.
/// </summary>
public sealed class DepthwiseConv : KerasLayer, IFoldableLinear
{
    /// <summary>Class names this layer stands for.</summary>
    readonly ConvGeometry geometry;
    readonly long groups;
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly bool linear;

    /// <summary>Builds the layer.</summary>
    public DepthwiseConv(LayerContext context, DepthwiseConvSpec spec) : base(context)
    {
        geometry = new ConvGeometry(spec.Window);
        context.ExpectWeightCount(spec.UseBias ? 2 : 1);
        kernel = Own(geometry.DepthwiseKernel(context, 0, "depthwise_kernel", spec.DepthMultiplier, out groups));
        bias = spec.UseBias ? Own(context.Weight(1, "bias", groups * spec.DepthMultiplier)) : null;
        activation = context.ActivationFunction(spec.Activation);
        linear = spec.Activation == "linear";
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(geometry.ConvolveKeras(arguments.Input, kernel, bias, groups))];

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;

    /// <inheritdoc />
    int? IFoldableLinear.OutputRank => geometry.Rank + 2;

    /// <inheritdoc />
    LinearInference? IFoldableLinear.Inference(Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded) =>
        geometry.Inference(kernel, bias, groups, linear, activation, scale, shift, owned, zeroPadded);
}
