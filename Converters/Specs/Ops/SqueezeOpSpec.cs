namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.squeeze</c> (keras/src/ops/numpy.py <c>Squeeze(axis=None)</c>).</summary>
/// <param name="Axes">The size-1 axes removed (<c>axis</c>); null removes every size-1 axis.</param>
public sealed record SqueezeOpSpec(long[]? Axes) : OpSpec, ILayerSpec<SqueezeOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Squeeze"]);

    /// <inheritdoc />
    public static SqueezeOpSpec Read(LayerReader layer) => new(OpConfig.Axes(layer, "axis"));
}
