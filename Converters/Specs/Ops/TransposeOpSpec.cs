namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.transpose</c> (keras/src/ops/numpy.py <c>Transpose(axes=None)</c>).</summary>
/// <param name="Axes">The new order of every axis, batch included (<c>axes</c>); null reverses them.</param>
public sealed record TransposeOpSpec(long[]? Axes) : OpSpec, ILayerSpec<TransposeOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Transpose"]);

    /// <inheritdoc />
    public static TransposeOpSpec Read(LayerReader layer) => new(OpConfig.Axes(layer, "axes"));
}
