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
    public static bool IsLegacyWeightsGroup(IH5Group group) => group.AttributeExists("layer_names") || group.AttributeExists("layer_names0");

    /// <summary>Weights per layer name, each list in Keras order; <paramref name="fileBytes"/> bounds each dataset (see <see cref="Hdf5Values.ReadArray"/>).</summary>
    public static Dictionary<string, List<WeightArray>> Read(IH5Group group, string file, string groupPath, long fileBytes)
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
                return new WeightArray(name, Hdf5Values.ReadArray(layerGroup.Dataset(name), file, part, fileBytes));
            }).ToList();
        }
        return weights;
    }
}

/// <summary>Puts legacy per-layer weight lists onto a model description, splitting a nested model's list among its inner layers.</summary>
internal static class LegacyWeightsAttacher
{
    /// <summary>
    /// Layer classes that never own weights. Keras's <c>load_weights</c> (by_name=False) pairs the file's layers
    /// that have weights with the model's layers that have weights, by position; this list tells the latter apart
    /// without building the layers (keras/src/legacy/saving/legacy_h5_format.py load_weights_from_hdf5_group).
    /// </summary>
    static readonly HashSet<string> WeightlessClasses =
    [
        "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianDropout",
        "GaussianNoise", "ActivityRegularization", "Activation", "Flatten", "Reshape", "Permute", "RepeatVector", "Masking",
        "Lambda", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalMaxPooling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
        "UpSampling1D", "UpSampling2D", "UpSampling3D", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
        "Concatenate", "Dot", "Merge", "ReLU", "LeakyReLU", "ELU", "ThresholdedReLU", "Softmax", "Identity",
        "TFOpLambda", "TensorFlowOpLayer", "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D",
    ];

    /// <summary>
    /// Returns <paramref name="model"/> with weights from <paramref name="weights"/> (file layer name → weights, in file
    /// order). Layers are matched by name; if the file's names are not the model's (weights saved from another
    /// session), by position among the layers that have weights, as Keras's own <c>load_weights</c> does.
    /// </summary>
    public static ModelDescription Attach(ModelDescription model, IReadOnlyDictionary<string, List<WeightArray>> weights, string file)
    {
        var withWeights = weights.Where(kv => kv.Value.Count > 0).ToList();
        var names = model.Layers.Select(l => l.Name).ToHashSet();
        if (withWeights.Any(kv => !names.Contains(kv.Key)))
            weights = MatchByPosition(model, withWeights, file);
        var layers = model.Layers.Select(layer =>
        {
            if (!weights.TryGetValue(layer.Name, out var list)) return layer;
            return layer.Nested is { } nested
                ? layer with { Nested = Attach(nested, SplitAmongInnerLayers(layer.Name, nested, list, file), file) }
                : layer with { Weights = list };
        }).ToList();
        return model with { Layers = layers };
    }

    static Dictionary<string, List<WeightArray>> MatchByPosition(ModelDescription model, List<KeyValuePair<string, List<WeightArray>>> fileLayers, string file)
    {
        var modelLayers = model.Layers.Where(l => !WeightlessClasses.Contains(l.ClassName)).ToList();
        if (modelLayers.Count != fileLayers.Count)
            throw new ModelFileException(file, fileLayers.Select(kv => kv.Key).First(name => model.Layers.All(l => l.Name != name)),
                $"the file's layer names are not model '{model.Name}''s, and it has {fileLayers.Count} layers with weights where the model has {modelLayers.Count}");
        return modelLayers.Zip(fileLayers).ToDictionary(p => p.First.Name, p => p.Second.Value);
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
