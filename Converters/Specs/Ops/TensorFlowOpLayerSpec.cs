using System.Globalization;

namespace KerasPort.Specs.Ops;

/// <summary>
/// tf.keras 2.0-2.3 <c>TensorFlowOpLayer</c> (tensorflow/python/keras/engine/base_layer.py): one TensorFlow graph node
/// (<c>node_def</c>: its <c>op</c>, its <c>input</c> list and its <c>attr</c>), whose inputs are the layer's tensors
/// except those <c>constants</c> gives by input position.
/// </summary>
/// <param name="Op">The TensorFlow op (<c>node_def.op</c>, e.g. <c>AddV2</c>).</param>
/// <param name="InputCount">How many inputs the node takes (<c>node_def.input</c>; 1 when absent).</param>
/// <param name="Constants">The constant inputs, by input position (<c>constants</c>).</param>
/// <param name="KeepDims">A reduction's <c>node_def.attr.keep_dims</c> (false when absent).</param>
public sealed record TensorFlowOpLayerSpec(string Op, int InputCount, IReadOnlyDictionary<int, JsonNode?> Constants, bool KeepDims)
    : LayerSpec, ILayerSpec<TensorFlowOpLayerSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["TensorFlowOpLayer"];

    /// <inheritdoc />
    public static TensorFlowOpLayerSpec Read(LayerReader layer)
    {
        var nodeDef = layer.Config["node_def"] as JsonObject ?? throw layer.ConfigError("node_def", "missing (the TensorFlow node)");
        var op = nodeDef["op"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : throw layer.ConfigError("node_def", "has no 'op'");
        var constants = (layer.Config["constants"] as JsonObject ?? []).ToDictionary(
            entry => int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position
                : throw layer.ConfigError("constants", $"'{entry.Key}' is not an input position"),
            entry => entry.Value);
        bool keepDims = nodeDef["attr"]?["keep_dims"]?["b"] is JsonValue flag && flag.TryGetValue<bool>(out var keep) && keep;
        return new(op, (nodeDef["input"] as JsonArray)?.Count ?? 1, constants, keepDims);
    }
}
