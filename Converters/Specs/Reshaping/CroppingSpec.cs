namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>Cropping1D/2D/3D</c> (keras/src/layers/reshaping/cropping*.py): cuts cells off each spatial axis.</summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>.</param>
/// <param name="Cropping">The (before, after) cells cut off each spatial axis.</param>
public sealed record CroppingSpec(int Rank, bool ChannelsFirst, (long Before, long After)[] Cropping) : SpatialSpec(Rank, ChannelsFirst), ILayerSpec<CroppingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Cropping1D", "Cropping2D", "Cropping3D"];

    /// <inheritdoc />
    public static CroppingSpec Read(LayerReader layer)
    {
        var (rank, channelsFirst) = ReadLayout(layer);
        return new(rank, channelsFirst, SpatialConfig.Pairs(layer, "cropping", rank));
    }
}
