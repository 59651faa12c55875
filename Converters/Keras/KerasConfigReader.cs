using System.Text.Json;
using System.Text.RegularExpressions;

namespace KerasPort.Converters.Keras;

/// <summary>
/// Turns a Keras model config (the JSON of <c>model.to_json()</c>, <c>model_config</c> in HDF5, or
/// <c>config.json</c> in a .keras zip) into a <see cref="ModelDescription"/> without weights. Understands the
/// inbound-node encodings of Keras 1 (<c>[[name, node, tensor]]</c>), Keras 2 (with a kwargs dict) and
/// Keras 3 (<c>{args, kwargs}</c> with <c>__keras_tensor__</c> entries); Sequential models become the
/// equivalent functional chain.
/// </summary>
public static partial class KerasConfigReader
{
    /// <summary>Parses config JSON text. <paramref name="source"/> names the file (and part) for errors.</summary>
    public static ModelDescription Parse(string json, string source, string? kerasVersion = null, string? backend = null)
    {
        JsonNode? root;
        try
        {
            root = ParseJson(QuoteNonFiniteNumbers(json));
            // Some files hold the model JSON encoded twice: a JSON string whose text is the model JSON.
            if (root is JsonValue text && text.TryGetValue<string>(out var inner)) root = ParseJson(QuoteNonFiniteNumbers(inner));
        }
        catch (JsonException e) { throw new ModelFileException(source, null, $"model config is not valid JSON: {e.Message}", e); }
        if (root is not JsonObject obj) throw new ModelFileException(source, null, "model config is not a JSON object");
        return Read(obj, source, kerasVersion ?? Text(obj["keras_version"]), backend ?? Text(obj["backend"]));
    }

    /// <summary>
    /// Parses JSON text, refusing duplicate keys while parsing (JsonException). Otherwise a JsonObject finds them only
    /// when first indexed and throws ArgumentException there (found by fuzzing).
    /// </summary>
    public static JsonNode? ParseJson(string json) => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });

    /// <summary>The string held by <paramref name="node"/>, or null if it is absent or not a string (a hostile file may put anything anywhere).</summary>
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads a parsed config object (<c>{"class_name": ..., "config": ...}</c>).</summary>
    public static ModelDescription Read(JsonObject root, string source, string? kerasVersion, string? backend)
    {
        var className = Text(root["class_name"])
            ?? throw new ModelFileException(source, "class_name", "model config has no class_name string");
        FileLoadingLayers.Refuse(root, source);
        var config = root["config"];
        try
        {
            return className switch
            {
                "Sequential" => ReadSequential(config, source, kerasVersion, backend),
                "Functional" or "Model" => ReadFunctional(className, config as JsonObject
                    ?? throw new ModelFileException(source, "config", "functional config is not an object"), source, kerasVersion, backend),
                _ when KerasHub.KerasHubArchitectures.TryBuild(root, source) is { } hub => hub with { KerasVersion = kerasVersion },
                _ => throw new ModelFileException(source, "class_name",
                    $"'{className}' is a subclassed model (unknown/unregistered class): its config has no layer graph, so it cannot be loaded without its Python code"),
            };
        }
        catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException and not InsufficientExecutionStackException)
        {
            throw new ModelFileException(source, "model_config", $"malformed model config: {e.Message}", e);
        }
    }

    static ModelDescription ReadSequential(JsonNode? config, string source, string? kerasVersion, string? backend)
    {
        // Keras 2.0-2.2 store a bare list of layers; later versions a dict with "layers".
        var layerList = (config as JsonArray ?? config?["layers"] as JsonArray)
            ?? throw new ModelFileException(source, "config.layers", "Sequential config has no layer list");
        var settings = config as JsonObject;
        string name = (string?)settings?["name"] ?? "sequential";
        var layers = new List<LayerDescription>();
        var ordering = LegacyConfigNormalizer.PrevailingDataFormat(layerList);
        TensorRef? previous = null;
        foreach (var node in layerList)
        {
            var layerJson = node as JsonObject ?? throw new ModelFileException(source, "config.layers", "layer entry is not an object");
            var className = (string)layerJson["class_name"]!;
            // A nested Keras <= 2.1 Sequential stores its config as a bare list of layers.
            var layerConfig = layerJson["config"] as JsonObject ?? [];
            var layerName = (string?)layerConfig["name"] ?? (string?)layerJson["name"] ?? $"{ToSnakeCase(className)}_{layers.Count}";
            if (className == "InputLayer")
            {
                layers.Add(MakeLayer(layerJson, layerName, [], source, kerasVersion, backend, ordering));
                previous = new TensorRef(layerName, 0, 0);
                continue;
            }
            if (previous is null)
            {
                // No InputLayer: Keras builds one from the first layer's batch_input_shape, named "<first>_input"
                // since Keras 2; Keras 1 names it "<class name in lower case>_input_<n>" (keras 1.2.2
                // engine/topology.py create_input_layer: prefix + str(K.get_uid(prefix)), 1 for a session's first model).
                var shape = layerConfig["batch_input_shape"] ?? layerConfig["batch_shape"] ?? FirstLayerBatchShape(layerJson["config"]) ?? BatchShapeFrom(settings?["build_input_shape"]);
                var inputName = kerasVersion is ['1', '.', ..] ? className.ToLowerInvariant() + "_input_1" : layerName + "_input";
                var inputConfig = new JsonObject { ["name"] = inputName, ["batch_shape"] = shape?.DeepClone(), ["dtype"] = DTypeName(layerConfig["dtype"]) ?? "float32" };
                layers.Add(new LayerDescription { Name = inputName, ClassName = "InputLayer", Config = inputConfig });
                previous = new TensorRef(inputName, 0, 0);
            }
            var call = new InboundNode([new TensorArgument(previous)], new Dictionary<string, NodeArgument>());
            layers.Add(MakeLayer(layerJson, layerName, [call], source, kerasVersion, backend, ordering));
            previous = new TensorRef(layerName, 0, 0);
        }
        if (layers.Count == 0 || previous is null) throw new ModelFileException(source, "config.layers", "Sequential model has no layers");
        return new ModelDescription
        {
            Name = name, ClassName = "Sequential", Layers = layers,
            Inputs = [new TensorRef(layers[0].Name, 0, 0)], Outputs = [previous],
            KerasVersion = kerasVersion, Backend = backend,
        };
    }

    static JsonNode? BatchShapeFrom(JsonNode? buildInputShape) => buildInputShape?.DeepClone();

    /// <summary>The batch_input_shape of a nested Sequential's first layer (its config a list or a dict with "layers").</summary>
    static JsonNode? FirstLayerBatchShape(JsonNode? config) =>
        (config as JsonArray ?? config?["layers"] as JsonArray) is [JsonObject first, ..] ? first["config"]?["batch_input_shape"] : null;

    static ModelDescription ReadFunctional(string className, JsonObject config, string source, string? kerasVersion, string? backend)
    {
        var layerList = config["layers"] as JsonArray ?? throw new ModelFileException(source, "config.layers", "functional config has no layer list");
        var layers = new List<LayerDescription>();
        var ordering = LegacyConfigNormalizer.PrevailingDataFormat(layerList);
        foreach (var node in layerList)
        {
            var layerJson = (JsonObject)node!;
            var layerName = (string?)layerJson["name"] ?? (string)layerJson["config"]!["name"]!;
            var inbound = (layerJson["inbound_nodes"] as JsonArray ?? []).Select(n => ReadInboundNode(n!)).ToList();
            layers.Add(MakeLayer(layerJson, layerName, inbound, source, kerasVersion, backend, ordering));
        }
        var (inputs, _) = ReadEndpoints(config["input_layers"]);
        var (outputs, outputNames) = ReadEndpoints(config["output_layers"]);
        var shifted = NestedModelsNumberedFromOne(layers, outputs);
        if (shifted.Count > 0)
        {
            layers = layers.Select(l => l with { InboundNodes = l.InboundNodes.Select(n => Renumber(n, shifted)).ToList() }).ToList();
            outputs = outputs.Select(o => shifted.Contains(o.Layer) ? o with { NodeIndex = o.NodeIndex - 1 } : o).ToList();
        }
        return new ModelDescription
        {
            Name = (string?)config["name"] ?? "functional", ClassName = className, Layers = layers,
            Inputs = inputs, Outputs = outputs, OutputNames = outputNames,
            KerasVersion = kerasVersion, Backend = backend,
        };
    }

    /// <summary>
    /// tf.keras does not serialize a nested Functional model's first node (the one linking its own Input to its
    /// outputs) but keeps counting from it, so calls of such a model are referenced as node 1, 2, ...
    /// (keras/engine/functional.py <c>_should_skip_first_node</c>). Detect those models by a reference one past
    /// their listed nodes.
    /// </summary>
    static HashSet<string> NestedModelsNumberedFromOne(List<LayerDescription> layers, IReadOnlyList<TensorRef> outputs)
    {
        var references = layers.SelectMany(l => l.InboundNodes.SelectMany(n => n.Tensors)).Concat(outputs).ToList();
        return layers.Where(l => l.Nested is not null && l.InboundNodes.Count > 0
                && references.Any(r => r.Layer == l.Name && r.NodeIndex == l.InboundNodes.Count)
                && references.Where(r => r.Layer == l.Name).All(r => r.NodeIndex >= 1))
            .Select(l => l.Name).ToHashSet();
    }

    static InboundNode Renumber(InboundNode node, HashSet<string> shifted) =>
        new(node.Args.Select(a => Renumber(a, shifted)).ToList(), node.Kwargs.ToDictionary(kv => kv.Key, kv => Renumber(kv.Value, shifted)));

    static NodeArgument Renumber(NodeArgument argument, HashSet<string> shifted) => argument switch
    {
        TensorArgument { Tensor: var t } when shifted.Contains(t.Layer) => new TensorArgument(t with { NodeIndex = t.NodeIndex - 1 }),
        ListArgument list => new ListArgument(list.Items.Select(i => Renumber(i, shifted)).ToList()),
        _ => argument,
    };

    static LayerDescription MakeLayer(JsonObject layerJson, string name, IReadOnlyList<InboundNode> inbound, string source, string? kerasVersion, string? backend, string? ordering)
    {
        var rawConfig = layerJson["config"];
        var (className, config) = LegacyConfigNormalizer.Normalize(
            (string)layerJson["class_name"]!, rawConfig as JsonObject ?? new JsonObject { ["name"] = name }, backend, ordering);
        ModelDescription? nested = className switch
        {
            "Sequential" or "Functional" or "Model" => Read(new JsonObject { ["class_name"] = className, ["config"] = rawConfig?.DeepClone() }, source, kerasVersion, backend),
            "Pipeline" => Read(PipelineAsSequential(rawConfig), source, kerasVersion, backend),
            _ => null,
        };
        return new LayerDescription
        {
            Name = name,
            ClassName = className,
            Config = config,
            InboundNodes = inbound,
            Nested = nested,
            Module = (string?)layerJson["module"],
        };
    }

    /// <summary>
    /// A Keras 3 <c>Pipeline</c> (keras/src/layers/preprocessing/pipeline.py) calls its listed layers in turn, as a
    /// Sequential does, and Keras saves their weights as a nested model's (<c>layers/&lt;key&gt;/...</c>): it is read as
    /// a nested Sequential, so that its layers are traced, trained and saved like one's (the Keras 3 config writer keeps
    /// its Pipeline config). The input shape is the first layer's <c>build_config</c> one, with a free batch size.
    /// </summary>
    static JsonObject PipelineAsSequential(JsonNode? config)
    {
        var layers = config?["layers"] as JsonArray ?? throw new InvalidOperationException("Pipeline config has no 'layers' list");
        var buildShape = layers is [JsonObject first, ..] && first["build_config"]?["input_shape"] is JsonArray { Count: > 0 } shape
            ? new JsonArray([null, .. shape.Skip(1).Select(d => d?.DeepClone())])
            : null;
        return new JsonObject
        {
            ["class_name"] = "Sequential",
            ["config"] = new JsonObject { ["name"] = config?["name"]?.DeepClone(), ["layers"] = layers.DeepClone(), ["build_input_shape"] = buildShape },
        };
    }

    /// <summary>Input/output endpoints: a single triple, a list of triples, or (Keras 3) a dict of them, taken in sorted-key order.</summary>
    static (IReadOnlyList<TensorRef> Refs, IReadOnlyList<string>? Names) ReadEndpoints(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject dict:
                var keys = dict.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
                return (keys.Select(k => ReadTriple((JsonArray)dict[k]!)).ToList(), keys);
            case JsonArray { Count: > 0 } list when list[0] is JsonValue:
                return ([ReadTriple(list)], null);
            case JsonArray list:
                return (list.Select(t => ReadTriple((JsonArray)t!)).ToList(), null);
            default:
                throw new InvalidOperationException("model has no input_layers/output_layers");
        }
    }

    static TensorRef ReadTriple(JsonArray triple) =>
        new(Text(triple[0]) ?? throw new InvalidOperationException($"tensor reference {triple.ToJsonString()} does not start with a layer name"),
            triple.Count > 1 ? (int)triple[1]! : 0, triple.Count > 2 ? (int)triple[2]! : 0);

    static InboundNode ReadInboundNode(JsonNode node)
    {
        if (node is JsonObject keras3)
        {
            var args = (keras3["args"] as JsonArray ?? []).Select(a => ReadArgument(a)).ToList();
            var kwargs = (keras3["kwargs"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => ReadArgument(kv.Value));
            return new InboundNode(args, kwargs);
        }
        // Keras 1/2: a list of [layer, node, tensor(, kwargs)] entries, one per input tensor. tf.keras 2.4+
        // writes a node with a single entry (TFOpLambda) as the bare entry.
        var entries = (JsonArray)node;
        IEnumerable<JsonArray> list = entries.Count > 0 && entries[0] is JsonValue ? [entries] : entries.Cast<JsonArray>();
        var tensors = new List<NodeArgument>();
        var keywordArgs = new Dictionary<string, NodeArgument>();
        foreach (var entry in list)
        {
            tensors.Add(new TensorArgument(ReadTriple(entry)));
            if (entry.Count > 3 && entry[3] is JsonObject kw)
                foreach (var (key, value) in kw) keywordArgs[key] = ReadLegacyKeyword(value);
        }
        // Several input tensors mean the layer was called on a list (e.g. Concatenate).
        IReadOnlyList<NodeArgument> positional = tensors.Count == 1 ? tensors : [new ListArgument(tensors)];
        return new InboundNode(positional, keywordArgs);
    }

    /// <summary>
    /// A keyword argument of a Keras 1/2 node. tf.keras writes tensors passed by keyword (MultiHeadAttention's
    /// <c>value</c>, TFOpLambda's <c>y</c>) as <c>[layer, node, tensor]</c> lists, and reads back every list of that
    /// form as a tensor (tf.keras <c>tf_utils.convert_inner_node_data</c> / <c>functional._deserialize_keras_tensors</c>).
    /// Other lists are constants (e.g. a reshape target), unless they hold such tensors.
    /// </summary>
    static NodeArgument ReadLegacyKeyword(JsonNode? node) => node switch
    {
        JsonArray triple when IsNodeData(triple) => new TensorArgument(ReadTriple(triple)),
        JsonArray list when list.Any(e => e is JsonArray) => new ListArgument(list.Select(ReadLegacyKeyword).ToList()),
        _ => ReadArgument(node),
    };

    static bool IsNodeData(JsonArray list) =>
        list.Count is 3 or 4
        && list[0] is JsonValue layer && layer.TryGetValue<string>(out _)
        && list[1] is JsonValue node && node.TryGetValue<int>(out _)
        && list[2] is JsonValue tensor && tensor.TryGetValue<int>(out _)
        && (list.Count == 3 || list[3] is JsonObject);

    static NodeArgument ReadArgument(JsonNode? node) => node switch
    {
        // Constant tensors and arrays that Keras 3 inlines into op calls (e.g. a positional encoding added to the input).
        JsonObject o when (string?)o["class_name"] is "__tensor__" or "__numpy__" => new ConstantArgument(o["config"]?["value"]?.DeepClone()),
        JsonObject o when (string?)o["class_name"] == "__keras_tensor__" =>
            new TensorArgument(ReadTriple((JsonArray)o["config"]!["keras_history"]!)),
        JsonArray a => new ListArgument(a.Select(ReadArgument).ToList()),
        _ => new ConstantArgument(node?.DeepClone()),
    };

    /// <summary>The dtype name of a layer config's <c>dtype</c> entry, which is a string or (Keras 3) a DTypePolicy object.</summary>
    public static string? DTypeName(JsonNode? dtype) => dtype switch
    {
        JsonValue v => (string?)v,
        JsonObject policy => (string?)policy["config"]?["name"],
        _ => null,
    };

    /// <summary>Keras's <c>naming.to_snake_case</c>, used for weight paths in Keras 3 files (<c>EinsumDense</c> → <c>einsum_dense</c>).</summary>
    public static string ToSnakeCase(string name)
    {
        // keras/src/utils/naming.py: strip non-word chars, then split CamelCase twice.
        var s = NonWord().Replace(name, "");
        s = UpperWord().Replace(s, "$1_$2");
        return LowerUpper().Replace(s, "$1_$2").ToLowerInvariant();
    }

    /// <summary>Parses JSON text written by Python's json module (bare NaN/Infinity allowed), refusing duplicate keys.</summary>
    internal static JsonNode? ParsePythonJson(string json) => ParseJson(QuoteNonFiniteNumbers(json));

    /// <summary>
    /// Undoes tf.keras's JSON encoding of Python objects in SavedModel metadata (tensorflow/python/keras/saving/saved_model/
    /// json_utils.py <c>_encode_tuple</c> / <c>_decode_helper</c>): <c>{"class_name": "__tuple__", "items": [...]}</c> and
    /// <c>{"class_name": "TensorShape", "items": [...]}</c> become plain lists (a TensorShape of unknown rank, null),
    /// as <c>model_config</c> in HDF5 files holds them. Returns a decoded copy.
    /// </summary>
    internal static JsonNode? DecodeTfKerasObjects(JsonNode? node) => node switch
    {
        JsonObject o when Text(o["class_name"]) is "__tuple__" or "TensorShape" && o.ContainsKey("items") && o["items"] is JsonArray or null =>
            o["items"] is JsonArray items ? new JsonArray(items.Select(DecodeTfKerasObjects).ToArray()) : null,
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, DecodeTfKerasObjects(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(DecodeTfKerasObjects).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Python's json writes NaN/Infinity as bare words; make them strings System.Text.Json accepts.</summary>
    static string QuoteNonFiniteNumbers(string json) =>
        json.Contains("NaN") || json.Contains("Infinity") ? NonFinite().Replace(json, m => m.Groups[1].Success ? m.Value : $"\"{m.Value}\"") : json;

    [GeneratedRegex(@"\W+")] private static partial Regex NonWord();
    [GeneratedRegex("(.)([A-Z][a-z]+)")] private static partial Regex UpperWord();
    [GeneratedRegex("([a-z])([A-Z])")] private static partial Regex LowerUpper();
    [GeneratedRegex(@"(""(?:[^""\\]|\\.)*"")|-?Infinity|NaN")] private static partial Regex NonFinite();
}
