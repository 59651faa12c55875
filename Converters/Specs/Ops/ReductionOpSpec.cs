namespace KerasPort.Specs.Ops;

/// <summary>
/// A <c>keras.ops</c> reduction (keras/src/ops/numpy.py <c>Mean</c>, <c>Sum</c>, <c>Max</c>, <c>Min</c>, <c>Prod</c>,
/// <c>Any</c>, <c>All</c>: <c>axis=None, keepdims=False</c>). <c>Max</c>/<c>Min</c>'s <c>initial</c> and <c>Prod</c>'s
/// <c>dtype</c> are refused when set rather than ignored.
/// </summary>
/// <param name="Function">The reduction, by its numpy name (<c>mean</c>, <c>sum</c>, <c>max</c>, <c>min</c>, <c>prod</c>, <c>any</c>, <c>all</c>).</param>
/// <param name="Axes">The axes reduced (<c>axis</c>); null for the node's second operand, or else every axis.</param>
/// <param name="KeepDims">Whether the reduced axes stay, with size 1 (<c>keepdims</c>).</param>
public sealed record ReductionOpSpec(string Function, long[]? Axes, bool KeepDims) : OpSpec, ILayerSpec<ReductionOpSpec>
{
    static readonly Dictionary<string, string> Functions = new(StringComparer.Ordinal)
    {
        ["Mean"] = "mean", ["Sum"] = "sum", ["Max"] = "max", ["Min"] = "min", ["Prod"] = "prod", ["Any"] = "any", ["All"] = "all",
    };

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(Functions.Keys);

    /// <inheritdoc />
    public static ReductionOpSpec Read(LayerReader layer)
    {
        foreach (var unsupported in new[] { "initial", "dtype" }.Where(layer.Has))
            throw new UnsupportedLayerException(OpSpec.Prefix + layer.ClassName, layer.Name, $"config '{unsupported}' is not supported");
        return new(OpConfig.Named(layer, Functions), OpConfig.Axes(layer, "axis"), OpConfig.Flag(layer, "keepdims", false));
    }
}
