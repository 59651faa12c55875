namespace KerasPort.Runtime.Training;

/// <summary>
/// Reads the per-output part of a Keras <c>compile_config</c> as keras/src/trainers/compile_utils.py structures it: a
/// single loss applies to every output, a list gives one per output, a dict one per output name; <c>loss_weights</c>
/// likewise (a number, a list or a dict); metrics are a flat list for a single output, and for several outputs a list
/// with one entry (a metric or a list) per output, or a dict by output name.
/// </summary>
internal static class CompileConfigReader
{
    /// <summary>One <see cref="OutputHead"/> per name of <paramref name="outputNames"/>.</summary>
    /// <exception cref="KerasPortException">A structure that does not fit the outputs, or an unknown loss or metric.</exception>
    public static IReadOnlyList<OutputHead> Outputs(JsonObject config, IReadOnlyList<string> outputNames, CustomObjects? customObjects)
    {
        var losses = PerOutput(config["loss"], outputNames, "loss", node => node is null ? null : Loss.FromConfig(node, customObjects));
        var weights = PerOutput(config["loss_weights"], outputNames, "loss_weights", ConfigValues.Number);
        var metrics = Metrics(config["metrics"], outputNames, "metrics");
        var weighted = Metrics(config["weighted_metrics"], outputNames, "weighted_metrics");
        return outputNames.Select((name, i) => new OutputHead(name, losses[i], weights[i], metrics[i], weighted[i])).ToList();
    }

    /// <summary>A serialized Keras object (<c>{"class_name": ...}</c>) rather than a dict by output name.</summary>
    static bool IsObject(JsonNode? node) => node is JsonObject o && o.ContainsKey("class_name");

    static List<T> PerOutput<T>(JsonNode? node, IReadOnlyList<string> outputNames, string key, Func<JsonNode?, T> read) => node switch
    {
        JsonArray list when list.Count == outputNames.Count => list.Select(read).ToList(),
        JsonArray list => throw new KerasPortException($"compile config '{key}' lists {list.Count} entries for {outputNames.Count} outputs"),
        JsonObject dict when !IsObject(dict) => outputNames.Select(name => read(dict[name])).ToList(),
        _ => outputNames.Select(_ => read(node)).ToList(),
    };

    static List<IReadOnlyList<Metric>> Metrics(JsonNode? node, IReadOnlyList<string> outputNames, string key)
    {
        static IReadOnlyList<Metric> Entry(JsonNode? entry) => entry switch
        {
            null => [],
            JsonArray list => list.Select(Metric.FromConfig).ToList(),
            _ => [Metric.FromConfig(entry)],
        };
        if (node is null) return outputNames.Select(_ => (IReadOnlyList<Metric>)[]).ToList();
        if (outputNames.Count == 1)
            return [node is JsonObject dict && !IsObject(dict) ? Entry(dict[outputNames[0]]) : Entry(node)];
        return PerOutput(node, outputNames, key, Entry);
    }
}
