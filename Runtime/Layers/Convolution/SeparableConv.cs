namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>SeparableConv1D/2D</c>: a depthwise convolution (kernel <c>(k..., in, depth_multiplier)</c>, with the
/// layer's strides, padding and dilation), then a pointwise 1x1 convolution (kernel
/// <c>(1..., in * depth_multiplier, filters)</c>), then bias and activation, as in
/// keras/src/layers/convolution/base_separable_conv.py and keras/src/backend/torch/nn.py <c>separable_conv</c>.
/// </summary>
public sealed class SeparableConv : KerasLayer, IFoldableLinear
{
    /// <summary>Class names this layer stands for.</summary>
    readonly ConvGeometry geometry;
    readonly long groups;
    readonly Tensor depthwise;
    readonly Tensor pointwise;
    readonly Tensor? bias;
    readonly long[] ones;
    readonly long[] zeros;
    readonly Func<Tensor, Tensor> activation;
    readonly bool linear;

    /// <summary>Builds the layer.</summary>
    public SeparableConv(LayerContext context, SeparableConvSpec spec) : base(context)
    {
        geometry = new ConvGeometry(spec.Window);
        context.ExpectWeightCount(spec.UseBias ? 3 : 2);
        depthwise = Own(geometry.DepthwiseKernel(context, 0, "depthwise_kernel", spec.DepthMultiplier, out groups));
        ones = ConvGeometry.Ones(geometry.Rank);
        zeros = new long[geometry.Rank];
        pointwise = Own(ConvGeometry.TorchKernel(context, 1, "pointwise_kernel", [.. ones, groups * spec.DepthMultiplier, spec.Filters]));
        bias = spec.UseBias ? Own(context.Weight(2, "bias", spec.Filters)) : null;
        activation = context.ActivationFunction(spec.Activation);
        linear = spec.Activation == "linear";
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(Separable(arguments.Input, pointwise, bias))];

    Tensor Separable(Tensor input, Tensor pointwiseKernel, Tensor? pointwiseBias)
    {
        var x = ChannelLayout.ToTorch(input, geometry.ChannelsFirst);
        var spread = geometry.Convolve(x, depthwise, null, groups);
        var y = TorchOps.Conv(spread, pointwiseKernel, pointwiseBias, ones, zeros, ones, 1);
        return ChannelLayout.FromTorch(y, geometry.ChannelsFirst);
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;

    /// <inheritdoc />
    int? IFoldableLinear.OutputRank => geometry.Rank + 2;

    /// <inheritdoc />
    LinearInference? IFoldableLinear.Inference(Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded)
    {
        if (scale is null || shift is null || !linear || geometry.ChannelsFirst || zeroPadded is not null) return null;
        var (foldedKernel, foldedBias) = ChannelLayout.FoldAffine(pointwise, bias, scale, shift, owned);
        return new LinearInference(x => Separable(x, foldedKernel, foldedBias));
    }
}
