using KerasPort.Converters.Model;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Where each weight of a layer lives in Keras 3's weights file, relative to the layer's group (<c>vars/0</c>,
/// <c>cell/vars/1</c>, ...). The one place that maps legacy weight names to Keras 3 sub-objects.
/// </summary>
internal static class Keras3WeightPaths
{
    static readonly HashSet<string> Recurrent = ["LSTM", "GRU", "SimpleRNN"];

    /// <summary>
    /// Sub-object owners of MultiHeadAttention's weights in Keras 3 (keras/src/layers/attention/multi_head_attention.py
    /// tracks <c>_query_dense</c> etc., saved as <c>query_dense</c> by Keras 3.15), keyed by the legacy sub-layer names.
    /// </summary>
    static readonly Dictionary<string, string> AttentionOwners = new(StringComparer.Ordinal)
    {
        ["query"] = "query_dense", ["key"] = "key_dense", ["value"] = "value_dense", ["attention_output"] = "output_dense",
    };

    /// <summary>
    /// The Keras 3 paths of <paramref name="layer"/>'s weights, parallel to its weights. Names read from a Keras 3
    /// file already are such paths. Legacy names (<c>dense/kernel:0</c>) map by class:
    /// plain layers (BatchNormalization included: gamma, beta, moving mean, moving variance) → <c>vars/0..n</c> in order;
    /// LSTM/GRU/SimpleRNN → <c>cell/vars/0..2</c>; Bidirectional → <c>forward_layer/…</c> then <c>backward_layer/…</c>,
    /// half each; TimeDistributed → <c>layer/…</c> of its inner class; MultiHeadAttention → <c>query_dense</c>,
    /// <c>key_dense</c>, <c>value_dense</c>, <c>output_dense</c> (kernel <c>vars/0</c>, bias <c>vars/1</c>).
    /// </summary>
    /// <exception cref="UnsupportedLayerException">The layer's weights have no known Keras 3 layout.</exception>
    public static IReadOnlyList<string> Of(LayerDescription layer)
    {
        var names = layer.Weights.Select(w => w.Name).ToList();
        if (names.All(n => n.StartsWith("vars/", StringComparison.Ordinal) || n.Contains("/vars/", StringComparison.Ordinal))) return names;
        return Legacy(layer.ClassName, layer.Config, names, layer.Name);
    }

    static List<string> Legacy(string className, System.Text.Json.Nodes.JsonObject config, List<string> names, string layerName)
    {
        UnsupportedLayerException Unsupported(string why) => new(className, layerName, $"cannot write its weights in the Keras 3 layout: {why}");
        switch (className)
        {
            case var _ when Recurrent.Contains(className):
                if (names.Count is < 2 or > 3) throw Unsupported($"{names.Count} weight arrays where Keras 3 has kernel, recurrent kernel and bias (a Keras 1 per-gate layout?)");
                return Numbered("cell/", names.Count);
            case "Bidirectional":
                if (names.Count % 2 != 0) throw Unsupported("an odd number of weight arrays");
                var inner = (string?)config["layer"]?["class_name"] ?? "";
                if (!Recurrent.Contains(inner)) throw Unsupported($"wrapped class '{inner}'");
                int half = names.Count / 2;
                return [.. Numbered("forward_layer/cell/", half), .. Numbered("backward_layer/cell/", half)];
            case "TimeDistributed":
                var innerClass = (string?)config["layer"]?["class_name"] ?? "";
                var innerConfig = config["layer"]?["config"] as System.Text.Json.Nodes.JsonObject ?? [];
                return Legacy(innerClass, innerConfig, names, layerName).Select(p => "layer/" + p).ToList();
            case "MultiHeadAttention":
                var counts = new Dictionary<string, int>();
                return names.Select(n =>
                {
                    var parts = n.Split('/');
                    var owner = parts.Length >= 2 && AttentionOwners.TryGetValue(parts[^2], out var o) ? o
                        : throw Unsupported($"weight '{n}' belongs to no known projection (query, key, value, attention_output)");
                    int index = counts.GetValueOrDefault(owner);
                    counts[owner] = index + 1;
                    return $"{owner}/vars/{index}";
                }).ToList();
            case "RNN" or "StackedRNNCells" or "GroupedQueryAttention" or "ConvLSTM1D" or "ConvLSTM2D" or "ConvLSTM3D" or "SpectralNormalization" or "CuDNNLSTM" or "CuDNNGRU":
                throw Unsupported("no mapping from its legacy weight names to Keras 3 sub-objects");
            default:
                return Numbered("", names.Count);
        }
    }

    static List<string> Numbered(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}vars/{i}").ToList();
}
