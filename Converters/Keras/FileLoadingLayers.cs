namespace KerasPort.Converters.Keras;

/// <summary>
/// Layers whose config names another file or directory to load: Keras 3's <c>TFSMLayer</c> (a TensorFlow SavedModel at
/// <c>filepath</c>; CVE-2026-1462 was it bypassing Keras's <c>safe_mode</c>) and TensorFlow Hub's <c>KerasLayer</c>
/// (a model at <c>handle</c>, a path or URL). KerasPort refuses them wherever they appear in a config, nested or not:
/// a model file must never make it open something else.
/// </summary>
internal static class FileLoadingLayers
{
    /// <summary>Class name → the config key that names what it would load.</summary>
    static readonly Dictionary<string, string> Classes = new(StringComparer.Ordinal)
    {
        ["TFSMLayer"] = "filepath",
        ["KerasLayer"] = "handle",
    };

    /// <summary>Throws <see cref="UnsafeModelFileException"/> if any object under <paramref name="root"/> serializes one of these layers.</summary>
    public static void Refuse(JsonNode root, string source)
    {
        var pending = new Stack<JsonNode>([root]);
        while (pending.TryPop(out var node))
        {
            if (node is JsonArray array)
                foreach (var item in array) { if (item is not null) pending.Push(item); }
            if (node is not JsonObject entry) continue;
            if (KerasConfigReader.Text(entry["class_name"]) is { } className && Classes.TryGetValue(className, out var key))
            {
                var config = entry["config"] as JsonObject;
                var name = KerasConfigReader.Text(config?["name"]) ?? KerasConfigReader.Text(entry["name"]) ?? "(unnamed)";
                var target = KerasConfigReader.Text(config?[key]) ?? "(not given)";
                throw new UnsafeModelFileException(source, $"layer '{name}'", className,
                    $"it would load '{target}' (its '{key}'), another file or directory named by the model; KerasPort loads only what is inside the model file");
            }
            foreach (var (_, value) in entry) { if (value is not null) pending.Push(value); }
        }
    }
}
