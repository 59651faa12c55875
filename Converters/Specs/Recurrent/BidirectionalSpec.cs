using KerasPort.Converters;

namespace KerasPort.Specs.Recurrent;

/// <summary>
/// Keras <c>Bidirectional</c> (keras/src/layers/rnn/bidirectional.py): a forward and a backward copy of a recurrent
/// layer over the same sequence, their outputs merged.
/// </summary>
/// <param name="MergeMode">concat (the default), sum, mul, ave, or null (a list of both outputs).</param>
/// <param name="Layer">The serialized forward layer.</param>
/// <param name="BackwardLayer">The serialized backward layer, or null for a reversed copy of <paramref name="Layer"/>.</param>
public sealed record BidirectionalSpec(string? MergeMode, JsonObject Layer, JsonObject? BackwardLayer) : LayerSpec, ILayerSpec<BidirectionalSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Bidirectional"];

    /// <inheritdoc />
    public static BidirectionalSpec Read(LayerReader layer)
    {
        var mergeMode = layer.Config.ContainsKey("merge_mode") ? layer.String("merge_mode") : "concat";
        if (mergeMode is not (null or "concat" or "sum" or "mul" or "ave"))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"merge_mode '{mergeMode}' is not a Keras merge mode");
        return new(mergeMode, layer.Config["layer"] as JsonObject ?? throw layer.ConfigError("layer", "missing"), layer.Config["backward_layer"] as JsonObject);
    }

    /// <summary>The wrapped layer's <c>return_sequences</c>.</summary>
    public bool ReturnSequences => (bool?)Layer["config"]?["return_sequences"] ?? false;
}
