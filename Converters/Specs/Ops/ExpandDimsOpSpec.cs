namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.expand_dims</c> (keras/src/ops/numpy.py <c>ExpandDims(axis)</c>; <c>axis</c> is required).</summary>
/// <param name="Axis">Where the new size-1 axis goes, in the output's numbering (negative counts from its end).</param>
public sealed record ExpandDimsOpSpec(long Axis) : OpSpec, ILayerSpec<ExpandDimsOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["ExpandDims"]);

    /// <inheritdoc />
    public static ExpandDimsOpSpec Read(LayerReader layer) => new(OpConfig.Axis(layer, "axis", null));
}
