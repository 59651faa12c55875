namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>Conv1D/2D/3D</c>: <c>activation(conv(x, kernel) + bias)</c> with 'valid', 'same' or (1D) 'causal'
/// padding, strides, dilation and groups. The kernel is <c>(k..., in / groups, filters)</c>, as in
/// keras/src/layers/convolution/base_conv.py.
/// </summary>
public sealed class Conv : KerasLayer, IFoldableLinear
{
    /// <summary>Class names this layer stands for.</summary>
    readonly ConvGeometry geometry;
    readonly long groups;
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly bool linear;

    /// <summary>Builds the layer.</summary>
    public Conv(LayerContext context, ConvSpec spec) : base(context)
    {
        geometry = new ConvGeometry(spec.Window);
        groups = spec.Groups;
        context.ExpectWeightCount(spec.UseBias ? 2 : 1);
        long inputChannels = geometry.InputChannels(context);
        kernel = Own(ConvGeometry.TorchKernel(context, 0, "kernel", [.. geometry.Kernel, inputChannels < 0 ? -1 : inputChannels / groups, spec.Filters]));
        bias = spec.UseBias ? Own(context.Weight(1, "bias", spec.Filters)) : null;
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
