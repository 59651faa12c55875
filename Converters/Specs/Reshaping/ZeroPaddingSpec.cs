namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>ZeroPadding1D/2D/3D</c> (keras/src/layers/reshaping/zero_padding*.py): pads each spatial axis with zeros.</summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>.</param>
/// <param name="Padding">The (before, after) zeros added to each spatial axis.</param>
public sealed record ZeroPaddingSpec(int Rank, bool ChannelsFirst, (long Before, long After)[] Padding) : SpatialSpec(Rank, ChannelsFirst), ILayerSpec<ZeroPaddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"];

    /// <inheritdoc />
    public static ZeroPaddingSpec Read(LayerReader layer)
    {
        var (rank, channelsFirst) = ReadLayout(layer);
        return new(rank, channelsFirst, SpatialConfig.Pairs(layer, "padding", rank));
    }
}
