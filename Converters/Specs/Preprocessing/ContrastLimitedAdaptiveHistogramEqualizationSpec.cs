namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras 3 <c>ContrastLimitedAdaptiveHistogramEqualization</c> (keras/src/layers/preprocessing/image_preprocessing/clahe.py),
/// which acts at inference too.
/// </summary>
/// <param name="ValueRange">The images' value range, (0, 255) by default.</param>
/// <param name="GridHeight">Tile rows, 8 by default.</param>
/// <param name="GridWidth">Tile columns, 8 by default.</param>
/// <param name="ClipLimit">The histogram clip limit, 4 by default.</param>
/// <param name="ChannelsFirst">The config's <c>data_format</c> is channels_first.</param>
public sealed record ContrastLimitedAdaptiveHistogramEqualizationSpec(ValueRange ValueRange, int GridHeight, int GridWidth, double ClipLimit, bool ChannelsFirst)
    : LayerSpec, ILayerSpec<ContrastLimitedAdaptiveHistogramEqualizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ContrastLimitedAdaptiveHistogramEqualization"];

    /// <inheritdoc />
    public static ContrastLimitedAdaptiveHistogramEqualizationSpec Read(LayerReader layer)
    {
        var range = ValueRange.Read(layer);
        if ((layer.Ints("tile_grid_size") ?? [8, 8]) is not [>= 1 and var rows, >= 1 and var columns])
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, "tile_grid_size must hold two positive numbers");
        return new(range, rows, columns, layer.Double("clip_limit", 4.0), layer.ChannelsFirst);
    }
}
