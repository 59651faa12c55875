namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>InvertedResidualBlock</c>: 1x1 Conv2D to <c>adjust_channels(expansion)</c>, BatchNormalization,
/// activation, ZeroPadding2D(<c>padding</c>), depthwise Conv2D (<c>kernel_size</c>, <c>stride</c>), BatchNormalization,
/// activation, optional SqueezeAndExcite2D (<c>squeeze_excite</c>), 1x1 Conv2D to <c>filters</c>, BatchNormalization,
/// and the input added back when the stride is 1 and <c>infilters == filters</c>. No convolution has a bias.
/// </summary>
/// <param name="Expansion">The expanded channel count before rounding.</param>
/// <param name="InFilters">The input channels.</param>
/// <param name="Filters">The output channels.</param>
/// <param name="KernelSize">The depthwise kernel size.</param>
/// <param name="Stride">The depthwise stride.</param>
/// <param name="SqueezeExciteRatio">The squeeze-and-excite bottleneck ratio, or null for none.</param>
/// <param name="Activation">The activation after the first two BatchNormalizations.</param>
/// <param name="Padding">The zero padding before the depthwise convolution, on every side.</param>
public sealed record InvertedResidualBlockSpec(int Expansion, int InFilters, int Filters, int KernelSize, int Stride, double? SqueezeExciteRatio,
    string Activation, int Padding) : LayerSpec, ILayerSpec<InvertedResidualBlockSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>InvertedResidualBlock"];

    /// <inheritdoc />
    public static InvertedResidualBlockSpec Read(LayerReader layer) => new(layer.IntAtLeast("expansion", 0, 1), layer.IntAtLeast("infilters", 0, 1),
        layer.IntAtLeast("filters", 0, 1), layer.IntAtLeast("kernel_size", 0, 1), layer.IntAtLeast("stride", 0, 1),
        DepthwiseConvBlockSpec.ReadSqueezeExciteRatio(layer), layer.ActivationName(), layer.IntAtLeast("padding", 0, 0));

    /// <summary>The expanded channels, <c>adjust_channels(expansion)</c>.</summary>
    public int ExpandedChannels => MobileNetChannels.Adjust(Expansion);

    /// <summary>Whether the input is added back.</summary>
    public bool Residual => Stride == 1 && InFilters == Filters;
}
