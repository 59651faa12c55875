namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>Normalization</c> (keras/src/layers/preprocessing/normalization.py): <c>(x - mean) / max(sqrt(variance),
/// epsilon)</c>, or the inverse with <c>invert</c>. The statistics are adapted weights (<c>mean</c>, <c>variance</c>,
/// <c>count</c>) or the config's <c>mean</c> and <c>variance</c>, aligned right to left with the kept axes.
/// </summary>
/// <param name="Axes">The kept axes; empty for <c>axis=None</c> (one mean and variance for everything).</param>
/// <param name="Invert">Undo the normalization instead.</param>
/// <param name="Mean">The config's <c>mean</c>, or null when the layer was adapted (its statistics are weights).</param>
/// <param name="Variance">The config's <c>variance</c>, given with <paramref name="Mean"/>.</param>
public sealed record NormalizationSpec(int[] Axes, bool Invert, ConfigArray? Mean, ConfigArray? Variance) : LayerSpec, ILayerSpec<NormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Normalization"];

    /// <inheritdoc />
    public static NormalizationSpec Read(LayerReader layer)
    {
        var mean = ConfigArray.Read(layer, "mean");
        var variance = ConfigArray.Read(layer, "variance");
        if ((mean is null) != (variance is null)) throw layer.ConfigError(mean is null ? "mean" : "variance", "given without the other statistic");
        return new(layer.Config["axis"] is null ? [] : layer.Ints("axis")!, layer.Bool("invert", false), mean, variance);
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => Mean is null ? [new("mean"), new("variance"), new("count")] : [];
}

/// <summary>A number or a nested list of numbers from a layer's config, flattened, with its shape (empty for a number).</summary>
/// <param name="Data">The numbers in row-major order, as float32.</param>
/// <param name="Shape">The nesting's sizes.</param>
public sealed record ConfigArray(float[] Data, long[] Shape)
{
    /// <summary>The config's <paramref name="key"/>, or null when absent.</summary>
    public static ConfigArray? Read(LayerReader layer, string key)
    {
        IEnumerable<float> Flatten(JsonNode node) => node switch
        {
            JsonArray list => list.SelectMany(n => Flatten(n ?? throw layer.ConfigError(key, "holds null"))),
            JsonValue value when value.TryGetValue<double>(out var number) => [(float)number],
            _ => throw layer.ConfigError(key, $"holds {node.ToJsonString()}, not a number"),
        };
        static long[] ShapeOf(JsonNode node) => node is JsonArray list ? [list.Count, .. list.Count > 0 ? ShapeOf(list[0]!) : []] : [];
        return layer.Config[key] is { } node ? new(Flatten(node).ToArray(), ShapeOf(node)) : null;
    }
}
