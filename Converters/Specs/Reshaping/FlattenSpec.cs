namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>Flatten</c> (keras/src/layers/reshaping/flatten.py): keeps the batch axis, flattens the rest in channels_last order.</summary>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>: the channel axis moves last before flattening.</param>
public sealed record FlattenSpec(bool ChannelsFirst) : LayerSpec, ILayerSpec<FlattenSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Flatten"];

    /// <inheritdoc />
    public static FlattenSpec Read(LayerReader layer) => new(layer.ChannelsFirst);
}
