namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.clip</c> (keras/src/ops/numpy.py <c>Clip(x_min, x_max)</c>).</summary>
/// <param name="Min">The lower bound (<c>x_min</c>); null for none.</param>
/// <param name="Max">The upper bound (<c>x_max</c>); null for none.</param>
public sealed record ClipOpSpec(double? Min, double? Max) : OpSpec, ILayerSpec<ClipOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Clip"]);

    /// <inheritdoc />
    public static ClipOpSpec Read(LayerReader layer) => new(Bound(layer, "x_min"), Bound(layer, "x_max"));

    static double? Bound(LayerReader layer, string key) => layer.Has(key) ? layer.Double(key, 0) : null;
}
