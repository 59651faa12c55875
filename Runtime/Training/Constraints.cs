namespace KerasPort.Runtime.Training;

/// <summary>
/// Keras's weight constraints (keras/src/constraints/constraints.py), applied to a weight after each optimizer update:
/// <c>MaxNorm</c>, <c>MinMaxNorm</c>, <c>UnitNorm</c> (norms along <c>axis</c>, with <c>epsilon = 1e-7</c> added to the
/// norm) and <c>NonNeg</c>.
/// </summary>
public static class Constraints
{
    const double Epsilon = 1e-7;

    /// <summary>The constraint a serialized Keras constraint describes, or null for none.</summary>
    /// <exception cref="UnsupportedLayerException">A constraint KerasPort does not implement.</exception>
    public static Func<Tensor, Tensor>? FromConfig(JsonNode? node, string owner, string className)
    {
        if (node is null) return null;
        var (name, config) = node switch
        {
            JsonValue v when v.TryGetValue<string>(out var text) => (text, new JsonObject()),
            JsonObject o => (KerasConfigReader.Text(o["class_name"]) ?? "", o["config"] as JsonObject ?? []),
            _ => ("", new JsonObject()),
        };
        double Number(string key, double fallback) => ConfigValues.Number(config[key]) ?? fallback;
        long[] Axes() => config["axis"] switch
        {
            JsonArray list => list.Select(a => (long)(ConfigValues.Number(a) ?? 0)).ToArray(),
            JsonValue v when ConfigValues.Number(v) is { } d => [(long)d],
            _ => [0],
        };
        return name switch
        {
            "MaxNorm" or "max_norm" => w => Rescale(w, Axes(), norms => norms.clamp(Of(0), Of(Number("max_value", 2.0)))),
            "MinMaxNorm" or "min_max_norm" => w => Rescale(w, Axes(), norms =>
                (norms.clamp(Of(Number("min_value", 0.0)), Of(Number("max_value", 1.0))) * Of(Number("rate", 1.0))).Plus(norms * Of(1 - Number("rate", 1.0)))),
            "UnitNorm" or "unit_norm" => w => w / Norms(w, Axes()).Plus(Epsilon),
            "NonNeg" or "non_neg" => w => w * (w >= Of(0.0)).to_type(w.dtype),
            _ => throw new UnsupportedLayerException(className, owner, $"constraint '{name}' is not supported for training"),
        };
    }

    static Tensor Norms(Tensor w, long[] axes) => w.Squared().sum(axes, keepdim: true).sqrt();

    static Tensor Rescale(Tensor w, long[] axes, Func<Tensor, Tensor> desired)
    {
        var norms = Norms(w, axes);
        return w * (desired(norms) / norms.Plus(Epsilon));
    }
}
