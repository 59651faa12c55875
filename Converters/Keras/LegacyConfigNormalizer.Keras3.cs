namespace KerasPort.Converters.Keras;

public static partial class LegacyConfigNormalizer
{
    /// <summary>
    /// Keys that Keras 2 and tf.keras wrote into layer configs and Keras 3 no longer takes (keras/src/layers/layer.py
    /// <c>Layer.__init__</c> raises "Unrecognized keyword arguments" for any key it does not know), with the value
    /// under which dropping them changes nothing; null means any value (the key only described the input).
    /// </summary>
    static readonly (string Key, JsonNode? Neutral)[] DroppedInKeras3 =
    [
        ("time_major", false),          // tf.keras RNNs; Keras 3 RNNs are batch-major only
        ("fused", null),                // tf.keras BatchNormalization's kernel choice: same numbers
        ("virtual_batch_size", null),   // tf.keras BatchNormalization ghost batches (training only)
        ("adjustment", null),           // tf.keras BatchNormalization's training-time adjustment function
        ("batch_input_shape", null),    // a Sequential's first layer: the InputLayer carries the shape
        ("batch_size", null),
        ("input_length", null),         // Keras 1 recurrent and Conv1D layers: the input's length, also in the InputLayer
    ];

    /// <summary>Keras 1 keys that <see cref="Normalize"/> leaves behind when they hold null: Keras 3 takes none of them.</summary>
    static readonly string[] Keras1Keys =
        ["W_regularizer", "b_regularizer", "U_regularizer", "W_constraint", "b_constraint", "U_constraint", "dropout_W", "dropout_U"];

    /// <summary>Keys some Keras 2 classes wrote that their Keras 3 classes do not take, with the neutral value (null: any).</summary>
    static readonly Dictionary<string, (string Key, JsonNode? Neutral)[]> DroppedByClass = new(StringComparer.Ordinal)
    {
        // Keras 3 transposed convolutions have no groups (keras/src/layers/convolutional/conv2d_transpose.py).
        ["Conv1DTranspose"] = [("groups", 1)], ["Conv2DTranspose"] = [("groups", 1)], ["Conv3DTranspose"] = [("groups", 1)],
        ["DepthwiseConv1D"] = [("groups", 1)], ["DepthwiseConv2D"] = [("groups", 1)],
        ["SeparableConv1D"] = [("groups", 1)], ["SeparableConv2D"] = [("groups", 1)],
        // Keras 3 SpatialDropout*D take only rate, seed, name, dtype (and data_format): keras/src/layers/regularization/spatial_dropout.py.
        ["SpatialDropout1D"] = [("trainable", null), ("noise_shape", null)],
        ["SpatialDropout2D"] = [("trainable", null), ("noise_shape", null)],
        ["SpatialDropout3D"] = [("trainable", null), ("noise_shape", null)],
        // Keras 1 Embedding dropout (Keras 3 has none).
        ["Embedding"] = [("dropout", 0)],
        // tf.keras MultiHeadAttention records its input shapes; Keras 3 takes them from the call (build_config).
        ["MultiHeadAttention"] = [("query_shape", null), ("key_shape", null), ("value_shape", null)],
    };

    /// <summary>Config keys that hold a wrapped layer or cell config.</summary>
    static readonly string[] WrappedLayerKeys = ["layer", "forward_layer", "backward_layer", "cell"];

    /// <summary>
    /// Rewrites a Keras 1/2 layer config (already in the vocabulary <see cref="Normalize"/> gives) so that Keras 3
    /// deserializes it: Keras-2-only keys are dropped where their value changes nothing, a one-element <c>axis</c> list
    /// becomes its integer (keras/src/legacy/saving/saving_utils.py <c>model_from_config</c> does the same), and
    /// initializers lose the <c>dtype</c> key tf.keras wrote (Keras 3 initializers take none). Wrapped layers
    /// (Bidirectional, TimeDistributed, RNN cells) are rewritten through their configs. Not for InputLayer configs.
    /// </summary>
    /// <returns>Null when the config converts; else the key and value Keras 3 cannot express.</returns>
    public static string? UpgradeToKeras3(string className, JsonObject config)
    {
        foreach (var (key, neutral) in DroppedInKeras3.Concat(DroppedByClass.GetValueOrDefault(className) ?? []))
        {
            if (!config.TryGetPropertyValue(key, out var value)) continue;
            if (neutral is not null && !Same(value, neutral)) return $"{key}={value?.ToJsonString() ?? "null"}";
            config.Remove(key);
        }
        foreach (var key in Keras1Keys)
        {
            if (!config.TryGetPropertyValue(key, out var value)) continue;
            if (value is not null) return $"{key}={value.ToJsonString()}";
            config.Remove(key);
        }
        if (config["axis"] is JsonArray { Count: 1 } axis) config["axis"] = axis[0]!.DeepClone();
        // Keras 1's input_dtype (read as dtype) was the dtype of the token ids, not of the layer: Keras 3 would make
        // the embeddings integers.
        if (className == "Embedding" && (string?)(config["dtype"] as JsonValue) is { } dtype && dtype.Contains("int", StringComparison.Ordinal))
            config.Remove("dtype");
        // Keras 1 Embedding's init and W_* keys became kernel_* in Normalize, but Keras 2+ names them embeddings_*.
        if (className == "Embedding")
            foreach (var part in new[] { "initializer", "regularizer", "constraint" })
                if (config["kernel_" + part] is { } value && !config.ContainsKey("embeddings_" + part))
                {
                    config.Remove("kernel_" + part);
                    config["embeddings_" + part] = value;
                }
        foreach (var (key, value) in config.ToList())
        {
            // A SavedModel records an initializer that was a Python lambda as "<lambda>": Keras 3 cannot resolve it, and
            // it never runs (the weights are in the file), so the layer's default takes its place.
            if (key.EndsWith("_initializer", StringComparison.Ordinal) && value is JsonValue v && (string?)v == "<lambda>") config.Remove(key);
            if ((value as JsonObject)?["config"] is not JsonObject inner) continue;
            if (key.EndsWith("_initializer", StringComparison.Ordinal)) inner.Remove("dtype");
            if (WrappedLayerKeys.Contains(key) && UpgradeToKeras3((string?)value!["class_name"] ?? "", inner) is { } problem) return problem;
        }
        return null;
    }

    /// <summary>Equal JSON values, numbers by value (a file's <c>0.0</c> is the neutral <c>0</c>).</summary>
    static bool Same(JsonNode? value, JsonNode neutral) =>
        value is JsonValue v && neutral is JsonValue n && v.TryGetValue<double>(out var a) && n.TryGetValue<double>(out var b)
            ? a == b : JsonNode.DeepEquals(value, neutral);

    /// <summary>tf.keras TFOpLambda functions that are one <c>keras.ops</c> operation, with that operation's module and class.</summary>
    static readonly Dictionary<string, (string Module, string Class)> OpsOfTensorFlowFunctions = new(StringComparer.Ordinal)
    {
        ["__operators__.add"] = ("keras.src.ops.numpy", "Add"), ["math.add"] = ("keras.src.ops.numpy", "Add"),
        ["__operators__.sub"] = ("keras.src.ops.numpy", "Subtract"), ["math.subtract"] = ("keras.src.ops.numpy", "Subtract"),
        ["__operators__.mul"] = ("keras.src.ops.numpy", "Multiply"), ["math.multiply"] = ("keras.src.ops.numpy", "Multiply"),
        ["__operators__.truediv"] = ("keras.src.ops.numpy", "Divide"), ["math.truediv"] = ("keras.src.ops.numpy", "Divide"),
        ["math.maximum"] = ("keras.src.ops.numpy", "Maximum"), ["math.minimum"] = ("keras.src.ops.numpy", "Minimum"),
    };

    /// <summary>
    /// Replaces Keras 1/2 layers whose classes Keras 3 no longer has by the Keras 3 layers that compute the same, so
    /// that an upgraded <c>.keras</c> file can hold them: <c>ThresholdedReLU(theta)</c> is <c>ReLU(threshold=theta)</c>
    /// (x above theta, else 0); <c>CuDNNLSTM</c> is an <c>LSTM</c> with tanh/sigmoid and its two biases added (Keras 2
    /// layers/cudnn_recurrent.py); a TFOpLambda of an elementwise binary TensorFlow function is that <c>keras.ops</c>
    /// node, called with both operands as positional arguments. Other layers are left as they are.
    /// </summary>
    public static ModelDescription UpgradeClassesToKeras3(ModelDescription model) => model with
    {
        Layers = model.Layers.Select(layer => layer.Nested is { } nested ? layer with { Nested = UpgradeClassesToKeras3(nested) } : UpgradeClass(layer)).ToList(),
    };

    static LayerDescription UpgradeClass(LayerDescription layer)
    {
        switch (layer.ClassName)
        {
            case "ThresholdedReLU":
                return layer with
                {
                    ClassName = "ReLU",
                    Module = null,
                    Config = new JsonObject
                    {
                        ["name"] = layer.Name, ["trainable"] = layer.Config["trainable"]?.DeepClone() ?? true, ["dtype"] = layer.Config["dtype"]?.DeepClone(),
                        ["max_value"] = null, ["negative_slope"] = 0.0, ["threshold"] = layer.Config["theta"]?.DeepClone() ?? 1.0,
                    },
                };
            case "CuDNNLSTM" when layer.Weights.Count == 3 && layer.Weights[2].Value.Shape is [var length] && length % 8 == 0:
                var config = (JsonObject)layer.Config.DeepClone();
                config["activation"] = "tanh";
                config["recurrent_activation"] = "sigmoid";
                config["use_bias"] = true;
                var bias = layer.Weights[2].Value.ToFloats();
                int half = (int)length / 2;
                var summed = NdArray.Of(Enumerable.Range(0, half).Select(i => bias[i] + bias[half + i]).ToArray(), half);
                return layer with { ClassName = "LSTM", Module = null, Config = config, Weights = [layer.Weights[0], layer.Weights[1], layer.Weights[2] with { Value = summed }] };
            case "TFOpLambda" when (string?)layer.Config["function"] is { } function && OpsOfTensorFlowFunctions.TryGetValue(function, out var op)
                && layer.InboundNodes.All(n => n.Args.Count == 1 && n.Kwargs.ContainsKey("y")):
                return layer with
                {
                    ClassName = op.Class,
                    Module = op.Module,
                    Config = new JsonObject { ["name"] = layer.Name },
                    InboundNodes = layer.InboundNodes.Select(n => new InboundNode([n.Args[0], n.Kwargs["y"]], new Dictionary<string, NodeArgument>())).ToList(),
                };
            default:
                return layer;
        }
    }
}
