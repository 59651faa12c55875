using System.Text.Json.Nodes;

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
    ];

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
    public static string? UpgradeToKeras3(JsonObject config)
    {
        foreach (var (key, neutral) in DroppedInKeras3)
        {
            if (!config.TryGetPropertyValue(key, out var value)) continue;
            if (key == "time_major" && !JsonNode.DeepEquals(value, neutral)) return $"{key}={value?.ToJsonString() ?? "null"}";
            config.Remove(key);
        }
        if (config["axis"] is JsonArray { Count: 1 } axis) config["axis"] = axis[0]!.DeepClone();
        foreach (var (key, value) in config.ToList())
        {
            if (key.EndsWith("_initializer", StringComparison.Ordinal) && value?["config"] is JsonObject initializer) initializer.Remove("dtype");
            if (WrappedLayerKeys.Contains(key) && value?["config"] is JsonObject wrapped && UpgradeToKeras3(wrapped) is { } problem) return problem;
        }
        return null;
    }
}
