namespace KerasPort.Specs.Convolution;

/// <summary>
/// Keras <c>SeparableConv1D/2D</c> (keras/src/layers/convolution/base_separable_conv.py): a depthwise convolution
/// over the window, then a pointwise 1x1 convolution with the bias.
/// </summary>
/// <param name="Window">Kernel size, strides, dilation, padding and data format of the depthwise step.</param>
/// <param name="Filters">The output channel count.</param>
/// <param name="DepthMultiplier">The depthwise step's output channels per input channel.</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="Activation">The activation's name.</param>
public sealed record SeparableConvSpec(ConvWindow Window, long Filters, long DepthMultiplier, bool UseBias, string Activation) : LayerSpec, ILayerSpec<SeparableConvSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D"];

    /// <inheritdoc />
    public static SeparableConvSpec Read(LayerReader layer) => new(ConvWindow.OfConvolution(layer), ConvolutionConfig.Filters(layer),
        layer.IntAtLeast("depth_multiplier", 1, 1), layer.Bool("use_bias", true), layer.ActivationName());

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => UseBias
        ? [new("depthwise_kernel"), new("pointwise_kernel"), new("bias")]
        : [new("depthwise_kernel"), new("pointwise_kernel")];
}
