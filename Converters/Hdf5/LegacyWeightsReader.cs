using KerasPort.Converters.Model;
using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Reads the legacy Keras HDF5 weight layout (Keras 1, 2, tf.keras, and Keras 3's <c>.h5</c>): a group whose
/// attribute <c>layer_names</c> lists one subgroup per layer, each with a <c>weight_names</c> attribute whose
/// entries are dataset paths relative to that subgroup (<c>dense/kernel:0</c>, <c>lstm/lstm_cell/bias:0</c>).
/// </summary>
internal static class LegacyWeightsReader
{
    /// <summary>True if <paramref name="group"/> carries the <c>layer_names</c> attribute of this layout.</summary>
    public static bool IsLegacyWeightsGroup(IH5Group group) => group.AttributeExists("layer_names");

    /// <summary>Weights per layer name, each list in Keras order.</summary>
    public static Dictionary<string, List<WeightArray>> Read(IH5Group group, string file, string groupPath)
    {
        var layerNames = Hdf5Values.StringsAttribute(group, "layer_names")
            ?? throw new ModelFileException(file, groupPath, "no 'layer_names' attribute: not a Keras weights group");
        var weights = new Dictionary<string, List<WeightArray>>();
        foreach (var layerName in layerNames)
        {
            var layerPath = $"{groupPath.TrimEnd('/')}/{layerName}";
            if (!group.LinkExists(layerName)) throw new ModelFileException(file, layerPath, "layer listed in 'layer_names' has no group");
            var layerGroup = group.Group(layerName);
            var names = Hdf5Values.StringsAttribute(layerGroup, "weight_names") ?? [];
            weights[layerName] = names.Select(name =>
            {
                var part = $"{layerPath}/{name}";
                if (!layerGroup.LinkExists(name)) throw new ModelFileException(file, part, "weight listed in 'weight_names' is missing");
                return new WeightArray(name, Hdf5Values.ReadArray(layerGroup.Dataset(name), file, part));
            }).ToList();
        }
        return weights;
    }
}

/// <summary>Puts legacy per-layer weight lists onto a model description, splitting a nested model's list among its inner layers.</summary>
internal static class LegacyWeightsAttacher
{
    /// <summary>Returns <paramref name="model"/> with weights from <paramref name="weights"/> (keyed by layer name).</summary>
    public static ModelDescription Attach(ModelDescription model, IReadOnlyDictionary<string, List<WeightArray>> weights, string file)
    {
        var layers = model.Layers.Select(layer =>
        {
            if (!weights.TryGetValue(layer.Name, out var list)) return layer;
            return layer.Nested is { } nested
                ? layer with { Nested = Attach(nested, SplitAmongInnerLayers(layer.Name, nested, list, file), file) }
                : layer with { Weights = list };
        }).ToList();
        var unknown = weights.Where(kv => kv.Value.Count > 0 && layers.All(l => l.Name != kv.Key)).Select(kv => kv.Key).FirstOrDefault();
        if (unknown is not null)
            throw new ModelFileException(file, unknown, $"weights for layer '{unknown}', which model '{model.Name}' does not have");
        return model with { Layers = layers };
    }

    /// <summary>
    /// A nested model's weights are listed under the outer layer with names like <c>dense_1/kernel:0</c>
    /// (Keras 2) or <c>inner_seq/inner_dense_1/kernel</c> (Keras 3): the first segment naming an inner layer wins.
    /// </summary>
    static Dictionary<string, List<WeightArray>> SplitAmongInnerLayers(string outerName, ModelDescription nested, List<WeightArray> list, string file)
    {
        var innerNames = nested.Layers.Select(l => l.Name).ToHashSet();
        var split = new Dictionary<string, List<WeightArray>>();
        foreach (var weight in list)
        {
            var segments = weight.Name.Split('/');
            var owner = segments.Take(segments.Length - 1).Skip(segments.Length > 2 && segments[0] == outerName ? 1 : 0)
                .FirstOrDefault(innerNames.Contains)
                ?? throw new ModelFileException(file, $"{outerName}/{weight.Name}", $"cannot tell which layer of nested model '{nested.Name}' owns this weight");
            if (!split.TryGetValue(owner, out var ownerList)) split[owner] = ownerList = [];
            ownerList.Add(weight);
        }
        return split;
    }
}
