namespace KerasPort.Specs.Ops;

/// <summary>Reads <c>keras.ops</c> node configs for the op specs: registry keys, axes, flags and dtypes, validated.</summary>
internal static class OpConfig
{
    /// <summary>The registry keys of op classes <paramref name="classes"/>.</summary>
    public static IReadOnlyList<string> Keys(IEnumerable<string> classes) => [.. classes.Select(c => OpSpec.Prefix + c)];

    /// <summary>
    /// Config <paramref name="key"/> as an axis or list of axes (integers; Keras accepts either); null when absent.
    /// Anything else is a <see cref="LayerConfigException"/> naming the layer and key.
    /// </summary>
    public static long[]? Axes(LayerReader layer, string key)
    {
        var node = layer.Config[key];
        if (node is null) return null;
        if (node is JsonValue || node is JsonArray list && list.All(item => item is JsonValue))
        {
            var values = layer.Doubles(key)!;
            if (values.All(v => v == Math.Floor(v))) return [.. values.Select(v => (long)v)];
        }
        throw layer.ConfigError(key, $"must be an integer or a list of integers, got {node.ToJsonString()}");
    }

    /// <summary>
    /// Config <paramref name="key"/> as one axis (an integer, or a list of one), <paramref name="fallback"/> when absent
    /// (a missing-key error when that is null: Keras requires the argument).
    /// </summary>
    public static long Axis(LayerReader layer, string key, long? fallback) => Axes(layer, key) switch
    {
        null => fallback ?? throw layer.ConfigError(key, "missing"),
        [var axis] => axis,
        var axes => throw new UnsupportedLayerException(OpSpec.Prefix + layer.ClassName, layer.Name, $"config '{key}' names {axes.Length} axes; only one is supported"),
    };

    /// <summary>Config <paramref name="key"/> as a bool, <paramref name="fallback"/> when absent; anything else is a <see cref="LayerConfigException"/>.</summary>
    public static bool Flag(LayerReader layer, string key, bool fallback) => layer.Config[key] switch
    {
        null => fallback,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        var other => throw layer.ConfigError(key, $"must be true or false, got {other.ToJsonString()}"),
    };

    /// <summary>Config <paramref name="key"/> as a dtype name (a string), null when absent; anything else is a <see cref="LayerConfigException"/>.</summary>
    public static string? DType(LayerReader layer, string key = "dtype") => layer.Config[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var name) => name,
        var other => throw layer.ConfigError(key, $"must be a dtype name, got {other.ToJsonString()}"),
    };

    /// <summary>The op class <paramref name="layer"/> is, by name: what <paramref name="names"/> maps it to.</summary>
    public static string Named(LayerReader layer, IReadOnlyDictionary<string, string> names) =>
        names.TryGetValue(layer.ClassName, out var name) ? name : throw new UnsupportedLayerException(OpSpec.Prefix + layer.ClassName, layer.Name);
}
