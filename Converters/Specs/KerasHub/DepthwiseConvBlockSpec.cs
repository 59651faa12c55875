namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>DepthwiseConvBlock</c>: ZeroPadding2D(1), depthwise Conv2D (<c>groups = infilters</c>, no bias),
/// BatchNormalization, ReLU, optional SqueezeAndExcite2D (<c>se_layer</c>, hard_sigmoid gate), 1x1 Conv2D to
/// <c>filters</c>, BatchNormalization, and the input added back when <c>residual</c>.
/// </summary>
/// <param name="InFilters">The input channels.</param>
/// <param name="Filters">The output channels.</param>
/// <param name="KernelSize">The depthwise kernel size.</param>
/// <param name="Stride">The depthwise stride.</param>
/// <param name="SqueezeExciteRatio">The squeeze-and-excite bottleneck ratio, or null for none.</param>
/// <param name="Residual">Whether the input is added to the output.</param>
public sealed record DepthwiseConvBlockSpec(int InFilters, int Filters, int KernelSize, int Stride, double? SqueezeExciteRatio, bool Residual)
    : LayerSpec, ILayerSpec<DepthwiseConvBlockSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>DepthwiseConvBlock"];

    /// <inheritdoc />
    public static DepthwiseConvBlockSpec Read(LayerReader layer) => new(layer.IntAtLeast("infilters", 0, 1), layer.IntAtLeast("filters", 0, 1),
        layer.IntAtLeast("kernel_size", 3, 1), layer.IntAtLeast("stride", 2, 1), ReadSqueezeExciteRatio(layer), layer.Bool("residual", false));

    /// <summary>The <c>squeeze_excite_ratio</c> argument: null (or 0, which Python treats as false) for no squeeze-and-excite.</summary>
    internal static double? ReadSqueezeExciteRatio(LayerReader layer) =>
        layer.DoubleAtLeast("squeeze_excite_ratio", 0, 0) is > 0 and var ratio ? ratio : null;
}
