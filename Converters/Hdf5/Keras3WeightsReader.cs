using KerasPort.Converters.Keras;
using KerasPort.Converters.Model;
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
    /// <summary>True if <paramref name="root"/> looks like this layout.</summary>
    public static bool IsKeras3WeightsGroup(IH5Group root) => root.LinkExists("layers") || root.LinkExists("vars");

    /// <summary>Returns <paramref name="model"/> with each layer's weights filled from <paramref name="root"/>.</summary>
    public static ModelDescription Attach(ModelDescription model, IH5Group root, string file, string rootPath = "")
    {
        var layersGroup = root.LinkExists("layers") ? root.Group("layers") : null;
        var byName = new Dictionary<string, string>();
        if (layersGroup is not null)
            foreach (var child in layersGroup.Children().OfType<IH5Group>())
                if (child.LinkExists("vars") && Hdf5Values.StringAttribute(child.Group("vars"), "name") is { } recorded)
                    byName.TryAdd(recorded, child.Name);

        var used = new Dictionary<string, int>();
        var layers = new List<LayerDescription>();
        foreach (var layer in model.Layers)
        {
            var key = NextKey(layer.ClassName, used);
            // Files that record each layer's name let us match by name; otherwise the counter rule decides.
            var groupName = byName.GetValueOrDefault(layer.Name) ?? key;
            var path = $"{rootPath}/layers/{groupName}";
            if (layersGroup is null || !layersGroup.LinkExists(groupName))
            {
                layers.Add(layer);
                continue;
            }
            var group = layersGroup.Group(groupName);
            layers.Add(layer.Nested is { } nested
                ? layer with { Nested = Attach(nested, group, file, path) }
                : layer with { Weights = CollectVars(group, file, path, "") });
        }
        return model with { Layers = layers };
    }

    static string NextKey(string className, Dictionary<string, int> used)
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

    /// <summary>A layer's own <c>vars</c> in index order, then those of its sub-objects, depth first.</summary>
    static List<WeightArray> CollectVars(IH5Group group, string file, string path, string prefix)
    {
        var result = new List<WeightArray>();
        if (group.LinkExists("vars"))
        {
            var vars = group.Group("vars");
            var indexed = vars.Children().OfType<IH5Dataset>()
                .Select(d => (Index: int.TryParse(d.Name, out var i) ? i : int.MaxValue, Dataset: d))
                .OrderBy(p => p.Index);
            foreach (var (index, dataset) in indexed)
                result.Add(new WeightArray($"{prefix}vars/{dataset.Name}", Hdf5Values.ReadArray(dataset, file, $"{path}/vars/{dataset.Name}")));
        }
        foreach (var child in group.Children().OfType<IH5Group>().Where(c => c.Name != "vars"))
            result.AddRange(CollectVars(child, file, $"{path}/{child.Name}", $"{prefix}{child.Name}/"));
        return result;
    }
}
