namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>Keras <c>RepeatVector</c>: <c>[batch, features]</c> to <c>[batch, n, features]</c>.</summary>
public sealed class RepeatVector : KerasLayer
{
    readonly long repeats;

    /// <summary>Builds the layer.</summary>
    public RepeatVector(LayerContext context, RepeatVectorSpec spec) : base(context) => repeats = spec.N;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input.unsqueeze(1).expand(-1, repeats, -1)];

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
