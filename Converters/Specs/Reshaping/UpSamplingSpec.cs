namespace KerasPort.Specs.Reshaping;

/// <summary>
/// Keras <c>UpSampling1D/2D/3D</c> (keras/src/layers/reshaping/up_sampling*.py): repeats each cell <c>size</c> times
/// along the spatial axes; <c>UpSampling2D</c> with an interpolation other than <c>nearest</c> resizes to <c>size</c>
/// times the input instead.
/// </summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>.</param>
/// <param name="Size">The factor of each spatial axis (2 by default).</param>
/// <param name="Interpolation">The interpolation (<c>nearest</c> by default; UpSampling2D only).</param>
public sealed record UpSamplingSpec(int Rank, bool ChannelsFirst, long[] Size, string Interpolation) : SpatialSpec(Rank, ChannelsFirst), ILayerSpec<UpSamplingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["UpSampling1D", "UpSampling2D", "UpSampling3D"];

    /// <inheritdoc />
    public static UpSamplingSpec Read(LayerReader layer)
    {
        var (rank, channelsFirst) = ReadLayout(layer);
        return new(rank, channelsFirst, SpatialConfig.Tuple(layer, "size", rank, Enumerable.Repeat(2L, rank).ToArray())!, layer.String("interpolation", "nearest")!);
    }
}
