namespace KerasPort.Converters.Keras;

/// <summary>
/// Describes the layers and cells nested in a wrapper or recurrent layer (an RNN's cell, a stack's cells, a
/// Bidirectional's two layers, a TimeDistributed's or SpectralNormalization's layer) from their serialized config,
/// each with its share of the outer layer's weights: the one reading of these layouts for the runtime (which builds
/// the nested layers) and the file writers (which lower them).
/// </summary>
/// <remarks>
/// Keras 3 files (<c>.keras</c>, <c>model.weights.h5</c>) name weights by their HDF5 path inside the layer's
/// group, children in alphabetical order (<c>backward_layer/cell/vars/0</c> before <c>forward_layer/...</c>,
/// keras/src/saving/saving_lib.py), so a child's weights are found by path prefix. Legacy files list weights in
/// Keras order under variable names (<c>bidi/forward_lstm/lstm_cell/kernel</c>, <c>forward_lstm_1_W_i:0</c>).
/// </remarks>
internal static class NestedLayerDescriptions
{
    /// <summary>True when <paramref name="weights"/> carry Keras 3 HDF5 paths (<c>vars/0</c>, <c>cell/vars/0</c>).</summary>
    public static bool IsKeras3Layout(IReadOnlyList<WeightArray> weights) =>
        weights.Count > 0 && weights.All(w => w.Name.StartsWith("vars/", StringComparison.Ordinal) || w.Name.Contains("/vars/", StringComparison.Ordinal));

    /// <summary>
    /// The weights of child group <paramref name="group"/> (e.g. <c>cell</c>), renamed relative to it, when the
    /// weights use the Keras 3 layout; otherwise all of <paramref name="weights"/>, unchanged.
    /// </summary>
    public static IReadOnlyList<WeightArray> Child(IReadOnlyList<WeightArray> weights, string group)
    {
        if (!IsKeras3Layout(weights)) return weights;
        var prefix = group + "/";
        return weights.Where(w => w.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(w => w with { Name = w.Name[prefix.Length..] }).ToList();
    }

    /// <summary>
    /// The layer <paramref name="serialized"/> describes (<c>{"class_name", "config"}</c>) as config key
    /// <paramref name="role"/> of <paramref name="outer"/>, with <paramref name="weights"/>. <paramref name="adjust"/>
    /// may edit a copy of its config first; a config without a name gets <c>outer/role</c>.
    /// </summary>
    public static LayerDescription Of(LayerReader outer, JsonNode? serialized, string role, IReadOnlyList<WeightArray> weights, Action<JsonObject>? adjust = null)
    {
        if (serialized is not JsonObject { } entry || (string?)entry["class_name"] is not { } className)
            throw new KerasPortException($"layer '{outer.Name}' ({outer.ClassName}): config '{role}' is not a serialized layer");
        var config = entry["config"] is JsonObject c ? (JsonObject)c.DeepClone() : [];
        adjust?.Invoke(config);
        return new LayerDescription
        {
            Name = (string?)config["name"] ?? $"{outer.Name}/{role}",
            ClassName = className,
            Config = config,
            Weights = weights,
            Module = (string?)entry["module"],
        };
    }

    /// <summary>
    /// Each cell's weights for the cells <paramref name="entries"/> of a stack (or each layer's for a Pipeline's
    /// <c>layers</c>, with <paramref name="container"/> <c>layers</c>). Keras 3 groups them under
    /// <c>&lt;container&gt;/&lt;snake_case class&gt;[_n]</c>, counting per class within the list (keras/src/saving/saving_lib.py
    /// <c>_save_container_state</c>); legacy files name them <c>.../&lt;cell name&gt;/kernel</c> (a single cell has them all).
    /// Fails when some weights belong to no cell.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<WeightArray>> StackedCellWeights(LayerReader outer, JsonArray entries, IReadOnlyList<WeightArray> weights,
        string container = "cells")
    {
        var used = new Dictionary<string, int>();
        var shares = entries.Select(entry =>
        {
            if (IsKeras3Layout(weights))
            {
                var key = KerasConfigReader.ToSnakeCase((string?)entry?["class_name"] ?? "");
                used[key] = used.TryGetValue(key, out var count) ? count + 1 : 0;
                return Child(weights, container + "/" + (used[key] == 0 ? key : $"{key}_{used[key]}"));
            }
            if (entries.Count == 1) return weights;
            var name = (string?)entry?["config"]?["name"];
            return weights.Where(w => w.Name.Split('/').Contains(name)).ToList();
        }).ToList();
        if (shares.Sum(s => s.Count) != weights.Count)
            throw new WeightMismatchException(outer.Name, weights.Count > 0 ? weights[0].Name : "(none)",
                $"only {shares.Sum(s => s.Count)} of {weights.Count} weight arrays could be matched to the {container}");
        return shares;
    }

    /// <summary>
    /// A Bidirectional layer's weights, split between its forward and backward layers: Keras 3 files group them under
    /// <c>forward_layer/</c> and <c>backward_layer/</c>, legacy files list the forward layer's, then the backward layer's.
    /// </summary>
    public static (IReadOnlyList<WeightArray> Forward, IReadOnlyList<WeightArray> Backward) BidirectionalWeights(LayerReader outer)
    {
        var weights = outer.Weights;
        if (IsKeras3Layout(weights))
            return (Child(weights, "forward_layer"), Child(weights, "backward_layer"));
        if (weights.Count % 2 != 0)
            throw new WeightMismatchException(outer.Name, weights[^1].Name, $"Bidirectional needs as many forward as backward weight arrays, the file has {weights.Count}");
        return (weights.Take(weights.Count / 2).ToList(), weights.Skip(weights.Count / 2).ToList());
    }

    /// <summary>
    /// The layer a SpectralNormalization wraps, with its weights, and the index of the wrapper's own <c>vector_u</c>
    /// among <paramref name="outer"/>'s weights (-1 when missing). Keras 3 files hold the wrapper's own <c>vars/0</c>
    /// (the tracked kernel, a duplicate), <c>vars/1</c> (<c>vector_u</c>) and the wrapped layer's weights under
    /// <c>layer/</c>; legacy files hold the wrapped layer's weights, then <c>vector_u</c>.
    /// </summary>
    public static (LayerDescription Layer, int VectorIndex) SpectralNormalized(LayerReader outer)
    {
        const string prefix = "layer/";
        if (outer.Config["layer"] is not JsonObject { } layerJson || layerJson["config"] is not JsonObject layerConfig)
            throw new FormatException($"SpectralNormalization '{outer.Name}' has no wrapped 'layer' config");
        var weights = outer.Weights.ToList();
        bool keras3 = weights.Any(w => w.Name.StartsWith(prefix, StringComparison.Ordinal));
        static bool IsVectorU(WeightArray weight) => weight.Name.Split('/')[^1].Split(':')[0] == "vector_u";
        var innerWeights = keras3
            ? weights.Where(w => w.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(w => w with { Name = w.Name[prefix.Length..] })
            : weights.Where(w => !IsVectorU(w));
        int vectorIndex = keras3
            ? weights.FindLastIndex(w => !w.Name.StartsWith(prefix, StringComparison.Ordinal))
            : weights.FindIndex(IsVectorU);
        var layer = new LayerDescription
        {
            Name = (string?)layerConfig["name"] ?? outer.Name + "_layer",
            ClassName = (string?)layerJson["class_name"] ?? throw new FormatException($"SpectralNormalization '{outer.Name}': wrapped layer has no class_name"),
            Config = (JsonObject)layerConfig.DeepClone(),
            Weights = innerWeights.ToList(),
            Module = (string?)layerJson["module"],
        };
        return (layer, vectorIndex);
    }
}
