namespace KerasPort.Converters.KerasPortFormat;

/// <summary>
/// A direct JSON form of <see cref="ModelDescription"/>: layers with their normalized configs as they are, graph
/// edges, endpoints, nested models, and each layer's weight names (the arrays themselves live beside it, keyed by
/// <see cref="WeightKey"/>). Reading it back needs no Keras config parsing.
/// </summary>
public static class ModelDescriptionJson
{
    /// <summary>The key of weight <paramref name="index"/> of layer <paramref name="layerPath"/> (nested layers: <c>outer/inner</c>).</summary>
    public static string WeightKey(string layerPath, int index) => $"{layerPath}/{index}";

    /// <summary>The JSON of <paramref name="model"/>; every weight array is passed to <paramref name="weight"/> with its key.</summary>
    public static JsonObject Write(ModelDescription model, Action<string, NdArray> weight) => Write(model, "", weight);

    static JsonObject Write(ModelDescription model, string prefix, Action<string, NdArray> weight) => new()
    {
        ["name"] = model.Name,
        ["class_name"] = model.ClassName,
        ["keras_version"] = model.KerasVersion,
        ["backend"] = model.Backend,
        ["inputs"] = new JsonArray(model.Inputs.Select(Triple).ToArray<JsonNode?>()),
        ["outputs"] = new JsonArray(model.Outputs.Select(Triple).ToArray<JsonNode?>()),
        ["output_names"] = model.OutputNames is { } names ? new JsonArray(names.Select(n => (JsonNode?)n).ToArray()) : null,
        ["layers"] = new JsonArray(model.Layers.Select(layer => (JsonNode?)WriteLayer(layer, prefix + layer.Name, weight)).ToArray()),
    };

    static JsonObject WriteLayer(LayerDescription layer, string path, Action<string, NdArray> weight)
    {
        for (int i = 0; i < layer.Weights.Count; i++) weight(WeightKey(path, i), layer.Weights[i].Value);
        return new JsonObject
        {
            ["name"] = layer.Name,
            ["class_name"] = layer.ClassName,
            ["module"] = layer.Module,
            ["config"] = layer.Config.DeepClone(),
            ["inbound_nodes"] = new JsonArray(layer.InboundNodes.Select(n => (JsonNode?)new JsonObject
            {
                ["args"] = new JsonArray(n.Args.Select(WriteArgument).ToArray()),
                ["kwargs"] = new JsonObject(n.Kwargs.Select(kv => KeyValuePair.Create(kv.Key, WriteArgument(kv.Value)))),
            }).ToArray()),
            ["weights"] = new JsonArray(layer.Weights.Select(w => (JsonNode?)w.Name).ToArray()),
            ["nested"] = layer.Nested is { } nested ? Write(nested, path + "/", weight) : null,
        };
    }

    static JsonNode Triple(TensorRef t) => new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex);

    static JsonNode? WriteArgument(NodeArgument argument) => argument switch
    {
        TensorArgument t => new JsonObject { ["tensor"] = Triple(t.Tensor) },
        ConstantArgument c => new JsonObject { ["constant"] = c.Value?.DeepClone() },
        ListArgument l => new JsonObject { ["list"] = new JsonArray(l.Items.Select(WriteArgument).ToArray()) },
        _ => throw new InvalidOperationException($"unknown argument kind {argument.GetType().Name}"),
    };

    /// <summary>
    /// Reads the JSON that <see cref="Write(ModelDescription, Action{string, NdArray})"/> made; <paramref name="weight"/>
    /// returns the array for a key. <paramref name="source"/> names the file in errors.
    /// </summary>
    /// <exception cref="ModelFileException">The JSON is malformed or a weight is missing.</exception>
    public static ModelDescription Read(JsonObject json, Func<string, NdArray?> weight, string source)
    {
        try { return Read(json, "", weight, source); }
        catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException and not InsufficientExecutionStackException)
        {
            throw new ModelFileException(source, "description.json", $"malformed model description: {e.Message}", e);
        }
    }

    static ModelDescription Read(JsonObject json, string prefix, Func<string, NdArray?> weight, string source) => new()
    {
        Name = (string)json["name"]!,
        ClassName = (string)json["class_name"]!,
        KerasVersion = (string?)json["keras_version"],
        Backend = (string?)json["backend"],
        Inputs = ((JsonArray)json["inputs"]!).Select(ReadTriple).ToList(),
        Outputs = ((JsonArray)json["outputs"]!).Select(ReadTriple).ToList(),
        OutputNames = (json["output_names"] as JsonArray)?.Select(n => (string)n!).ToList(),
        Layers = ((JsonArray)json["layers"]!).Select(l => ReadLayer((JsonObject)l!, prefix, weight, source)).ToList(),
    };

    static LayerDescription ReadLayer(JsonObject json, string prefix, Func<string, NdArray?> weight, string source)
    {
        var name = (string)json["name"]!;
        var path = prefix + name;
        var weights = ((JsonArray?)json["weights"] ?? []).Select((n, i) => new WeightArray((string)n!,
            weight(WeightKey(path, i)) ?? throw new ModelFileException(source, WeightKey(path, i), $"layer '{name}': weight '{(string?)n}' is missing from weights.npz"))).ToList();
        return new LayerDescription
        {
            Name = name,
            ClassName = (string)json["class_name"]!,
            Module = (string?)json["module"],
            Config = (JsonObject)json["config"]!.DeepClone(),
            InboundNodes = ((JsonArray?)json["inbound_nodes"] ?? []).Select(n => new InboundNode(
                ((JsonArray)n!["args"]!).Select(ReadArgument).ToList(),
                ((JsonObject)n["kwargs"]!).ToDictionary(kv => kv.Key, kv => ReadArgument(kv.Value)))).ToList(),
            Weights = weights,
            Nested = json["nested"] is JsonObject nested ? Read(nested, path + "/", weight, source) : null,
        };
    }

    static TensorRef ReadTriple(JsonNode? node) => new((string)node![0]!, (int)node[1]!, (int)node[2]!);

    static NodeArgument ReadArgument(JsonNode? node) => node switch
    {
        JsonObject o when o.ContainsKey("tensor") => new TensorArgument(ReadTriple(o["tensor"])),
        JsonObject o when o.ContainsKey("list") => new ListArgument(((JsonArray)o["list"]!).Select(ReadArgument).ToList()),
        JsonObject o when o.ContainsKey("constant") => new ConstantArgument(o["constant"]?.DeepClone()),
        _ => throw new FormatException($"not a node argument: {node?.ToJsonString()}"),
    };
}
