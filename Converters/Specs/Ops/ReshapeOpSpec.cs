namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.reshape</c> (keras/src/ops/numpy.py <c>Reshape(newshape)</c>): its shape includes the batch axis.</summary>
/// <param name="NewShape">The output shape (<c>newshape</c>; one entry may be -1); null for the node's second operand.</param>
public sealed record ReshapeOpSpec(long[]? NewShape) : OpSpec, ILayerSpec<ReshapeOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Reshape"]);

    /// <inheritdoc />
    public static ReshapeOpSpec Read(LayerReader layer) => new(OpConfig.Axes(layer, "newshape"));
}
