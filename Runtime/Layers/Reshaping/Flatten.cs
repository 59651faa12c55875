namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>Flatten</c>: keeps the batch axis and flattens the rest in channels_last order. With
/// <c>data_format='channels_first'</c> the channel axis is first moved last (keras/src/layers/reshaping/flatten.py).
/// </summary>
public sealed class Flatten : KerasLayer
{
    readonly bool channelsFirst;

    /// <summary>Builds the layer.</summary>
    public Flatten(LayerContext context, FlattenSpec spec) : base(context) => channelsFirst = spec.ChannelsFirst;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (channelsFirst && x.dim() > 2)
            x = x.permute([0, .. Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i), 1]);
        return [x.reshape(x.Sizes()[0], -1)];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
