namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>Keras <c>Permute</c>: reorders the non-batch axes; <c>dims</c> are 1-based.</summary>
public sealed class Permute : KerasLayer
{
    readonly long[] order;

    /// <summary>Builds the layer.</summary>
    public Permute(LayerContext context, PermuteSpec spec) : base(context) => order = spec.Order;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input.permute(order)];

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
