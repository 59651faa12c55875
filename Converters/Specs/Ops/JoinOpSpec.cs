namespace KerasPort.Specs.Ops;

/// <summary>
/// <c>keras.ops.concatenate</c> and <c>keras.ops.stack</c> (keras/src/ops/numpy.py <c>Concatenate(axis=0)</c>,
/// <c>Stack(axis=0)</c>): the node's tensors joined along an existing axis, or stacked along a new one.
/// </summary>
/// <param name="Axis">The axis (<c>axis</c>, 0 by default); for a stack, the new axis in the output's numbering.</param>
/// <param name="Stack">Stack along a new axis; concatenate along an existing one otherwise.</param>
public sealed record JoinOpSpec(long Axis, bool Stack) : OpSpec, ILayerSpec<JoinOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Concatenate", "Stack"]);

    /// <inheritdoc />
    public static JoinOpSpec Read(LayerReader layer) => new(OpConfig.Axis(layer, "axis", 0), layer.ClassName == "Stack");
}
