namespace KerasPort.Specs.Pooling;

/// <summary>
/// Keras <c>AdaptiveAveragePooling1D/2D/3D</c> and <c>AdaptiveMaxPooling1D/2D/3D</c> (keras/src/layers/pooling/base_adaptive_pooling.py):
/// pooling to a fixed output size with torch's bins.
/// </summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>.</param>
/// <param name="Max">Max pooling; average pooling otherwise.</param>
/// <param name="OutputSize">The output size per spatial axis.</param>
public sealed record AdaptivePoolingSpec(int Rank, bool ChannelsFirst, bool Max, long[] OutputSize) : SpatialSpec(Rank, ChannelsFirst), ILayerSpec<AdaptivePoolingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
        "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
    ];

    /// <inheritdoc />
    public static AdaptivePoolingSpec Read(LayerReader layer)
    {
        var (rank, channelsFirst) = ReadLayout(layer);
        return new(rank, channelsFirst, layer.ClassName.StartsWith("AdaptiveMax", StringComparison.Ordinal), SpatialConfig.Required(layer, "output_size", rank));
    }
}
