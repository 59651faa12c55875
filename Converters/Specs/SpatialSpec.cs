namespace KerasPort.Specs;

/// <summary>
/// What the layers with spatial axes share (convolution, pooling, padding, cropping, up-sampling): how many spatial
/// axes (the <c>1D</c>/<c>2D</c>/<c>3D</c> of the class name) and where the channels are (<c>data_format</c>).
/// </summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>; Keras's default is channels_last.</param>
public abstract record SpatialSpec(int Rank, bool ChannelsFirst) : LayerSpec
{
    /// <summary>The first spatial axis of a Keras-layout tensor (batch first): 2 for channels_first, else 1.</summary>
    public int FirstSpatialAxis => ChannelsFirst ? 2 : 1;

    /// <summary>The rank and data format of <paramref name="layer"/>.</summary>
    protected static (int Rank, bool ChannelsFirst) ReadLayout(LayerReader layer) => (SpatialConfig.Rank(layer), layer.ChannelsFirst);
}
