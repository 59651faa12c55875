namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>Keras <c>Reshape</c>: reshapes all but the batch axis to <c>target_shape</c> (one entry may be -1).</summary>
public sealed class Reshape : KerasLayer
{
    readonly long[] targetShape;

    /// <summary>Builds the layer.</summary>
    public Reshape(LayerContext context, ReshapeSpec spec) : base(context) => targetShape = spec.TargetShape;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        return [x.reshape([x.Sizes()[0], .. targetShape])];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
