namespace KerasPort.Specs.Pooling;

/// <summary>
/// Keras <c>GlobalAveragePooling1D/2D/3D</c> and <c>GlobalMaxPooling1D/2D/3D</c> (keras/src/layers/pooling/base_global_pooling.py):
/// the mean or maximum over the spatial axes; a 1D average with a time-step mask leaves masked steps out.
/// </summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>.</param>
/// <param name="Average">Average pooling; max pooling otherwise.</param>
/// <param name="KeepDims">Keep the spatial axes with size 1.</param>
public sealed record GlobalPoolingSpec(int Rank, bool ChannelsFirst, bool Average, bool KeepDims) : SpatialSpec(Rank, ChannelsFirst), ILayerSpec<GlobalPoolingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
        "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
    ];

    /// <inheritdoc />
    public static GlobalPoolingSpec Read(LayerReader layer)
    {
        var (rank, channelsFirst) = ReadLayout(layer);
        return new(rank, channelsFirst, layer.ClassName.Contains("Av", StringComparison.Ordinal), layer.Bool("keepdims", false));
    }

    /// <summary>The spatial axes of a Keras-layout tensor of rank <paramref name="tensorRank"/>.</summary>
    public long[] SpatialAxes(long tensorRank) => Enumerable.Range(FirstSpatialAxis, (int)tensorRank - 2).Select(a => (long)a).ToArray();
}
