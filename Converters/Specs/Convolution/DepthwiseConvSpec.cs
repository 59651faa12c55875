namespace KerasPort.Specs.Convolution;

/// <summary>Keras <c>DepthwiseConv1D/2D</c> (keras/src/layers/convolution/base_depthwise_conv.py): one group per input channel.</summary>
/// <param name="Window">Kernel size, strides, dilation, padding and data format.</param>
/// <param name="DepthMultiplier">The output channels per input channel.</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="Activation">The activation's name.</param>
public sealed record DepthwiseConvSpec(ConvWindow Window, long DepthMultiplier, bool UseBias, string Activation) : LayerSpec, ILayerSpec<DepthwiseConvSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["DepthwiseConv1D", "DepthwiseConv2D"];

    /// <inheritdoc />
    public static DepthwiseConvSpec Read(LayerReader layer) => new(ConvWindow.OfConvolution(layer),
        layer.IntAtLeast("depth_multiplier", 1, 1), layer.Bool("use_bias", true), layer.ActivationName());

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => UseBias ? [new("depthwise_kernel"), new("bias")] : [new("depthwise_kernel")];
}
