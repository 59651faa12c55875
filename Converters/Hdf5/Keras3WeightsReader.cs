using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Reads the Keras 3 weight layout (<c>model.weights.h5</c>, also inside <c>.keras</c> zips): groups
/// <c>layers/&lt;key&gt;/vars/&lt;i&gt;</c> where the key is the snake-cased class name with a per-class counter
/// (<c>dense</c>, <c>dense_1</c>, ...) in <c>model.layers</c> order, as in keras/src/saving/saving_lib.py
/// <c>_save_container_state</c>. Sub-objects (an RNN's <c>cell</c>, a wrapper's <c>layer</c>) are nested groups.
/// </summary>
internal static class Keras3WeightsReader
{
    /// <summary>True if <paramref name="root"/> looks like this layout (see <see cref="Keras3WeightTree"/> for Windows-saved files).</summary>
    public static bool IsKeras3WeightsGroup(IH5Group root) =>
        root.Children().Any(c => c.Name is "layers" or "vars" or LegacyContainer
            || c.Name.StartsWith("layers\\", StringComparison.Ordinal) || c.Name.StartsWith(LegacyContainer + "\\", StringComparison.Ordinal));

    const string LegacyContainer = "_layer_checkpoint_dependencies";

    /// <summary>Returns <paramref name="model"/> with each layer's weights filled from <paramref name="root"/>, a file of <paramref name="fileBytes"/> bytes.</summary>
    public static ModelDescription Attach(ModelDescription model, IH5Group root, string file, long fileBytes) =>
        Attach(model, new Keras3WeightTree([new Keras3WeightsFile(root, file, fileBytes)]));

    /// <summary>Returns <paramref name="model"/> with each layer's weights filled from <paramref name="tree"/> (one file, or the shards of a sharded set).</summary>
    public static ModelDescription Attach(ModelDescription model, Keras3WeightTree tree) =>
        Attach(model, tree, "") with { OptimizerState = tree.Optimizer() };

    static ModelDescription Attach(ModelDescription model, Keras3WeightTree tree, string prefix)
    {
        // tf.keras 2.13-2.15 named the layer container after its attribute, _layer_checkpoint_dependencies.
        var layersPath = prefix + (tree.HasGroup(prefix + "layers") || !tree.HasGroup(prefix + LegacyContainer) ? "layers/" : LegacyContainer + "/");
        // Files that record each layer's name (vars/@name) let us match by name; otherwise the counter rule decides.
        var byName = new Dictionary<string, string>();
        foreach (var (groupPath, recorded) in tree.RecordedNames)
            if (groupPath.StartsWith(layersPath, StringComparison.Ordinal) && groupPath.EndsWith("/vars", StringComparison.Ordinal)
                && groupPath[layersPath.Length..^"/vars".Length] is var key && !key.Contains('/'))
                byName.TryAdd(recorded, key);

        var used = new Dictionary<string, int>();
        var layers = new List<LayerDescription>();
        foreach (var layer in model.Layers)
        {
            var key = byName.GetValueOrDefault(layer.Name) ?? NextKey(layer.ClassName, used);
            if (byName.ContainsKey(layer.Name)) NextKey(layer.ClassName, used);
            var path = layersPath + key;
            if (!tree.HasGroup(path))
            {
                layers.Add(layer);
                continue;
            }
            layers.Add(layer.Nested is { } nested
                ? layer with { Nested = Attach(nested, tree, path + "/") }
                : layer with { Weights = tree.CollectVars(path) });
        }
        return model with { Layers = layers };
    }

    /// <summary>The next layer key for <paramref name="className"/>: its snake-cased name, then <c>_1</c>, <c>_2</c>, … (saving_lib.py <c>_save_container_state</c>).</summary>
    internal static string NextKey(string className, Dictionary<string, int> used)
    {
        var name = KerasConfigReader.ToSnakeCase(className);
        if (used.TryGetValue(name, out var count))
        {
            used[name] = count + 1;
            return $"{name}_{count + 1}";
        }
        used[name] = 0;
        return name;
    }
}
