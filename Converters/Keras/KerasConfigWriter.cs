namespace KerasPort.Converters.Keras;

/// <summary>
/// Writes a <see cref="ModelDescription"/> as a Keras 3 model config (<c>config.json</c> of a <c>.keras</c> zip):
/// <c>module</c>/<c>class_name</c>/<c>config</c>/<c>registered_name</c> entries, functional inbound nodes as
/// <c>{args, kwargs}</c> with <c>__keras_tensor__</c> entries, and <c>input_layers</c>/<c>output_layers</c>
/// (keras/src/models/functional.py <c>get_config</c>). Layer configs are the normalized ones of the description,
/// so Keras 1/2 class and key names come out as Keras 3's.
/// </summary>
public static class KerasConfigWriter
{
    /// <summary>Keras 1/2 and tf.keras classes that Keras 3 no longer has: a .keras file naming them would not load in Keras.</summary>
    static readonly HashSet<string> RemovedInKeras3 =
    [
        "TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer", "ThresholdedReLU", "LocallyConnected1D", "LocallyConnected2D",
        "CuDNNLSTM", "CuDNNGRU", "Highway", "MaxoutDense",
    ];

    /// <summary>
    /// The Keras 3 config of <paramref name="model"/>, with its <c>compile_config</c> when the description carries one
    /// (Keras then compiles the model as it loads it).
    /// </summary>
    /// <exception cref="UnsupportedLayerException">A Keras 1/2 layer computes something Keras 3 cannot express (hard_sigmoid).</exception>
    public static JsonObject Write(ModelDescription model)
    {
        var root = Write(model, model.KerasMajorVersion);
        if (model.CompileConfig is { } compile)
        {
            var written = (JsonObject)compile.DeepClone();
            AddModules(written);
            root["compile_config"] = written;
        }
        return root;
    }

    /// <summary>The module Keras 3 serializes an object under, by the config key that holds it.</summary>
    static string? ModuleOf(string key) => key switch
    {
        _ when key.EndsWith("_initializer", StringComparison.Ordinal) => "keras.initializers",
        _ when key.EndsWith("_regularizer", StringComparison.Ordinal) => "keras.regularizers",
        _ when key.EndsWith("_constraint", StringComparison.Ordinal) => "keras.constraints",
        "layer" or "forward_layer" or "backward_layer" or "cell" or "cells" or "layers" => "keras.layers",
        "dtype" => "keras",
        "optimizer" => "keras.optimizers",
        "learning_rate" => "keras.optimizers.schedules",
        "loss" => "keras.losses",
        "metrics" or "weighted_metrics" => "keras.metrics",
        _ => null,
    };

    /// <summary>
    /// Gives every nested <c>{class_name, config}</c> object of <paramref name="config"/> that lacks them the
    /// <c>module</c> and <c>registered_name</c> that Keras 3's <c>serialize_keras_object</c> writes: without a module,
    /// Keras 3 looks the class up among registered custom objects only and fails ("Could not locate class 'Dense'",
    /// keras/src/saving/serialization_lib.py <c>_retrieve_class_or_fn</c>). Keras 1/2 configs and the legacy configs of
    /// Keras 3 <c>.h5</c> files leave them out.
    /// </summary>
    static void AddModules(JsonObject config)
    {
        foreach (var (key, value) in config.ToList())
            if (ModuleOf(key) is { } module) Register(value, module);
            else if (value is JsonObject inner) AddModules(inner);
    }

    /// <summary>An object entry, a list of them, or a dict of them keyed by output name (compile_config losses).</summary>
    static void Register(JsonNode? node, string module)
    {
        switch (node)
        {
            case JsonObject entry when entry["class_name"] is JsonValue && entry.ContainsKey("config"):
                if (!entry.ContainsKey("module")) entry["module"] = module;
                if (!entry.ContainsKey("registered_name")) entry["registered_name"] = null;
                if (entry["config"] is JsonObject inner) AddModules(inner);
                break;
            case JsonObject byName:
                foreach (var (_, value) in byName.ToList()) Register(value, module);
                break;
            case JsonArray items:
                foreach (var item in items) Register(item, module);
                break;
        }
    }

    static JsonObject Write(ModelDescription model, int generation)
    {
        if (model.ClassName == "Sequential")
            return new JsonObject
            {
                ["module"] = "keras",
                ["class_name"] = "Sequential",
                ["config"] = new JsonObject
                {
                    ["name"] = model.Name,
                    ["trainable"] = true,
                    ["layers"] = new JsonArray(model.Layers.Select(l => (JsonNode?)WriteLayer(l, functional: false, generation, InputConfigs(model))).ToArray()),
                },
                ["registered_name"] = null,
            };
        // Keras keeps the structure the model was built with (functional.py get_config, map_structure): one tensor is a
        // bare triple, and a model called inside a Sequential must give one tensor, not a list of one.
        JsonNode endpoints(IReadOnlyList<TensorRef> refs) => refs.Count == 1 ? Triple(refs[0]) : new JsonArray(refs.Select(Triple).ToArray<JsonNode?>());
        JsonNode outputs = model.OutputNames is { } names
            ? new JsonObject(names.Select((n, i) => KeyValuePair.Create(n, (JsonNode?)Triple(model.Outputs[i]))))
            : endpoints(model.Outputs);
        return new JsonObject
        {
            ["module"] = "keras.src.models.functional",
            ["class_name"] = "Functional",
            ["config"] = new JsonObject
            {
                ["name"] = model.Name,
                ["trainable"] = true,
                ["layers"] = new JsonArray(model.Layers.Select(l => (JsonNode?)WriteLayer(l, functional: true, generation, InputConfigs(model))).ToArray()),
                ["input_layers"] = endpoints(model.Inputs),
                ["output_layers"] = outputs,
            },
            ["registered_name"] = null,
        };
    }

    static JsonObject WriteLayer(LayerDescription layer, bool functional, int generation, IReadOnlyDictionary<string, JsonObject> inputs)
    {
        JsonObject entry;
        // A Pipeline is read as a nested Sequential (KerasConfigReader) but keeps its own config, which lists its layers.
        if (layer.Nested is { } nested && layer.ClassName != "Pipeline")
        {
            entry = Write(nested, generation);
            ((JsonObject)entry["config"]!)["name"] = layer.Name;
        }
        else
        {
            if (RemovedInKeras3.Contains(layer.ClassName) || RemovedInKeras3.Contains((string?)layer.Config["layer"]?["class_name"] ?? ""))
                throw new UnsupportedLayerException(layer.ClassName, layer.Name, "this class does not exist in Keras 3, so a .keras file cannot hold it (use --to torchsharp or --to h5)");
            var config = (JsonObject)layer.Config.DeepClone();
            config["name"] = layer.Name;
            if (generation < 3) PinGenerationDefaults(layer.Name, layer.ClassName, config);
            // Keras 3 InputLayer takes batch_shape; Keras 1/2 wrote batch_input_shape.
            if (layer.ClassName == "InputLayer" && config["batch_input_shape"] is { } shape && !config.ContainsKey("batch_shape"))
            {
                config.Remove("batch_input_shape");
                config["batch_shape"] = shape.DeepClone();
            }
            // Also for files that name no Keras version: Keras 3's own configs hold none of the keys it rewrites.
            else if (LegacyConfigNormalizer.UpgradeToKeras3(layer.ClassName, config) is { } problem)
                throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"{problem} has no Keras 3 equivalent, so a .keras file cannot hold it (use --to torchsharp or --to h5)");
            AddModules(config);
            entry = new JsonObject
            {
                ["module"] = layer.Module ?? "keras.layers",
                ["class_name"] = layer.ClassName,
                ["config"] = config,
                ["registered_name"] = null,
            };
        }
        entry["name"] = layer.Name;
        if (functional)
            entry["inbound_nodes"] = new JsonArray(layer.InboundNodes.Select(n => (JsonNode?)new JsonObject
            {
                ["args"] = new JsonArray(n.Args.Select(a => WriteArgument(a, inputs)).ToArray()),
                ["kwargs"] = new JsonObject(n.Kwargs.Select(kv => KeyValuePair.Create(kv.Key, WriteArgument(kv.Value, inputs)))),
            }).ToArray());
        return entry;
    }

    /// <summary>
    /// Makes a Keras 1/2 layer compute the same in Keras 3: defaults that changed between generations are written
    /// out (recurrent_activation was hard_sigmoid before Keras 2.3, GRU reset_after was false before tf.keras 2;
    /// keras/src/layers/rnn/lstm.py and gru.py give sigmoid and true). Keras 1/2 hard_sigmoid is clip(0.2x + 0.5, 0, 1)
    /// but Keras 3's is relu6(x + 3) / 6 (keras/src/backend/torch/nn.py), so a layer using it cannot be upgraded.
    /// Wrapped layers (Bidirectional, TimeDistributed) are handled through their <c>layer</c> configs.
    /// </summary>
    static void PinGenerationDefaults(string layerName, string className, JsonObject config)
    {
        if (className is "LSTM" or "GRU" && !config.ContainsKey("recurrent_activation")) config["recurrent_activation"] = "hard_sigmoid";
        if (className == "GRU" && !config.ContainsKey("reset_after")) config["reset_after"] = false;
        foreach (var key in new[] { "activation", "recurrent_activation" })
            if ((config[key] as JsonValue)?.TryGetValue<string>(out var name) == true && name == "hard_sigmoid")
                throw new UnsupportedLayerException(className, layerName,
                    $"{key} hard_sigmoid of Keras 1/2 is clip(0.2x + 0.5, 0, 1) but Keras 3 computes relu6(x + 3) / 6: upgrading to .keras would change the outputs (use --to torchsharp or --to h5)");
        foreach (var key in new[] { "layer", "forward_layer", "backward_layer" })
            if (config[key] is JsonObject { } inner && (string?)inner["class_name"] is { } innerClass && inner["config"] is JsonObject innerConfig)
                PinGenerationDefaults(layerName, innerClass, innerConfig);
    }

    /// <summary>
    /// The Python class of a Keras 3 layer whose config names its public alias: Keras keys its weights (saving_lib.py
    /// <c>_save_container_state</c>) and legacy configs by <c>__class__.__name__</c>; GroupedQueryAttention is exported as
    /// <c>keras.layers.GroupQueryAttention</c> (keras/src/layers/attention/grouped_query_attention.py).
    /// </summary>
    internal static string PythonClassName(string className) => className == "GroupQueryAttention" ? "GroupedQueryAttention" : className;

    static JsonNode Triple(TensorRef t) => new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex);

    /// <summary>The configs of the model's input layers, by name: their shapes and dtypes are those of the tensors they give.</summary>
    static Dictionary<string, JsonObject> InputConfigs(ModelDescription model) =>
        model.Layers.Where(l => l.ClassName == "InputLayer").ToDictionary(l => l.Name, l => l.Config);

    /// <summary>
    /// A call argument as Keras serializes it. Keras rebuilds a <c>__keras_tensor__</c> as a KerasTensor of its
    /// <c>shape</c> and <c>dtype</c> and then swaps it for the output its <c>keras_history</c> names
    /// (keras/src/saving/serialization_lib.py <c>deserialize_keras_object</c>, models/functional.py
    /// <c>deserialize_node</c>), so both keys must be there but only an input layer's tensor needs its real shape: the
    /// description keeps no shapes between layers, and those tensors are written with an unknown 1-d shape.
    /// </summary>
    static JsonNode? WriteArgument(NodeArgument argument, IReadOnlyDictionary<string, JsonObject> inputs) => argument switch
    {
        TensorArgument t => new JsonObject
        {
            ["class_name"] = "__keras_tensor__",
            ["config"] = new JsonObject
            {
                ["shape"] = inputs.TryGetValue(t.Tensor.Layer, out var input) && (input["batch_shape"] ?? input["batch_input_shape"]) is JsonArray shape
                    ? shape.DeepClone() : new JsonArray((JsonNode?)null),
                ["dtype"] = (string?)(inputs.GetValueOrDefault(t.Tensor.Layer)?["dtype"] as JsonValue) ?? "float32",
                ["keras_history"] = Triple(t.Tensor),
            },
        },
        // A constant array is a tensor Keras inlined into an op call; a bare list would read back as a list of numbers.
        // The description keeps only its values, so its dtype is written as Keras's default float32.
        ConstantArgument { Value: JsonArray values } => new JsonObject
        {
            ["class_name"] = "__tensor__",
            ["config"] = new JsonObject { ["value"] = values.DeepClone(), ["dtype"] = "float32" },
        },
        ConstantArgument c => c.Value?.DeepClone(),
        ListArgument l => new JsonArray(l.Items.Select(i => WriteArgument(i, inputs)).ToArray()),
        _ => throw new InvalidOperationException($"unknown argument kind {argument.GetType().Name}"),
    };
}
