namespace KerasPort.Converters.Keras;

/// <summary>The config dialect of a legacy HDF5 file's <c>model_config</c> attribute.</summary>
public enum LegacyConfigDialect
{
    /// <summary>
    /// Keras 2 / tf.keras: <c>{class_name, config, name, inbound_nodes}</c> layer entries whose inbound nodes are
    /// lists of <c>[layer, node, tensor, kwargs]</c> entries, one per tensor of the call's first argument
    /// (tf.keras engine/node.py <c>serialize</c>), and InputLayer <c>batch_input_shape</c>.
    /// </summary>
    Keras2,

    /// <summary>
    /// What Keras 3 writes into <c>.h5</c> files (keras/src/legacy/saving/legacy_h5_format.py under
    /// <c>use_legacy_config=True</c>): the Keras 3 config without <c>module</c>/<c>registered_name</c> on the model and
    /// its layers; inbound nodes stay <c>{args, kwargs}</c>.
    /// </summary>
    Keras3,
}

/// <summary>Writes a <see cref="ModelDescription"/> as the <c>model_config</c> JSON of a legacy full-model <c>.h5</c> file.</summary>
public static class LegacyConfigWriter
{
    /// <summary>The config of <paramref name="model"/> in <paramref name="dialect"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A call cannot be expressed in the Keras 2 node format, or (Keras 3) a class Keras 3 no longer has.</exception>
    public static JsonObject Write(ModelDescription model, LegacyConfigDialect dialect)
    {
        if (dialect == LegacyConfigDialect.Keras3)
        {
            var config = KerasConfigWriter.Write(model);
            StripRegistration(config);
            return config;
        }
        return Keras2(model);
    }

    /// <summary>
    /// Removes <c>module</c> and <c>registered_name</c> from the model entry and its layer entries, recursively, as
    /// Keras 3's legacy serialization leaves them out. Raw <c>keras.ops</c> nodes keep their module: without it
    /// nothing tells the NotEqual op from a layer of that name.
    /// </summary>
    static void StripRegistration(JsonObject entry)
    {
        var module = (string?)entry["module"] ?? "";
        if (!module.StartsWith("keras.src.ops", StringComparison.Ordinal) && !module.StartsWith("keras.ops", StringComparison.Ordinal))
        {
            entry.Remove("module");
            entry.Remove("registered_name");
            if (entry["class_name"] is JsonValue name) entry["class_name"] = KerasConfigWriter.PythonClassName((string)name!);
        }
        if (entry["class_name"] is JsonValue c && (string?)c is "Sequential" or "Functional" or "Model" && entry["config"]?["layers"] is JsonArray layers)
            foreach (var layer in layers.OfType<JsonObject>()) StripRegistration(layer);
    }

    static JsonObject Keras2(ModelDescription model)
    {
        bool sequential = model.ClassName == "Sequential";
        var config = new JsonObject
        {
            ["name"] = model.Name,
            ["layers"] = new JsonArray(model.Layers.Select(l => (JsonNode?)Keras2Layer(l, functional: !sequential)).ToArray()),
        };
        if (!sequential)
        {
            config["input_layers"] = new JsonArray(model.Inputs.Select(Triple).ToArray<JsonNode?>());
            config["output_layers"] = model.OutputNames is { } names
                ? new JsonObject(names.Select((n, i) => KeyValuePair.Create(n, (JsonNode?)Triple(model.Outputs[i]))))
                : new JsonArray(model.Outputs.Select(Triple).ToArray<JsonNode?>());
        }
        return new JsonObject { ["class_name"] = model.ClassName, ["config"] = config };
    }

    static JsonObject Keras2Layer(LayerDescription layer, bool functional)
    {
        JsonObject entry;
        if (layer.Nested is { } nested)
        {
            entry = Keras2(nested);
            ((JsonObject)entry["config"]!)["name"] = layer.Name;
        }
        else
        {
            var config = (JsonObject)layer.Config.DeepClone();
            config["name"] = layer.Name;
            // Keras 2 InputLayer takes batch_input_shape (the reader names a made-up Sequential input's shape batch_shape, as Keras 3 does).
            if (layer.ClassName == "InputLayer" && config["batch_shape"] is { } shape && !config.ContainsKey("batch_input_shape"))
            {
                config.Remove("batch_shape");
                config["batch_input_shape"] = shape.DeepClone();
            }
            entry = new JsonObject { ["class_name"] = layer.ClassName, ["config"] = config };
        }
        if (!functional) return entry;
        entry["name"] = layer.Name;
        entry["inbound_nodes"] = new JsonArray(layer.InboundNodes.Select(n => (JsonNode?)Keras2Node(layer, n)).ToArray());
        return entry;
    }

    /// <summary>
    /// One call as tf.keras serializes it: an entry <c>[layer, node, tensor, kwargs]</c> per tensor of the first
    /// argument (a list of tensors for merge layers), the call's keyword arguments repeated in each, tensors among
    /// them as <c>[layer, node, tensor]</c>.
    /// </summary>
    static JsonArray Keras2Node(LayerDescription layer, InboundNode node)
    {
        UnsupportedLayerException Unsupported(string why) => new(layer.ClassName, layer.Name, $"its call cannot be written in the Keras 2 config format: {why}");
        IEnumerable<TensorRef> tensors = node.Args switch
        {
            [TensorArgument t] => [t.Tensor],
            [ListArgument list] when list.Items.All(i => i is TensorArgument) => list.Items.Cast<TensorArgument>().Select(t => t.Tensor),
            _ => throw Unsupported("Keras 2 records only the first positional argument, a tensor or a list of tensors"),
        };
        var kwargs = new JsonObject(node.Kwargs.Select(kv => KeyValuePair.Create(kv.Key, Keras2Argument(kv.Value))));
        return new JsonArray(tensors.Select(t => (JsonNode?)new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex, kwargs.DeepClone())).ToArray());
    }

    static JsonNode? Keras2Argument(NodeArgument argument) => argument switch
    {
        TensorArgument t => Triple(t.Tensor),
        ConstantArgument c => c.Value?.DeepClone(),
        ListArgument l => new JsonArray(l.Items.Select(Keras2Argument).ToArray()),
        _ => throw new InvalidOperationException($"unknown argument kind {argument.GetType().Name}"),
    };

    static JsonNode Triple(TensorRef t) => new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex);
}
