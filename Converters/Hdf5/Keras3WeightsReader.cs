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
    /// <summary>True if <paramref name="root"/> looks like this layout (see <see cref="WeightTree"/> for Windows-saved files).</summary>
    public static bool IsKeras3WeightsGroup(IH5Group root) =>
        root.Children().Any(c => c.Name is "layers" or "vars" or LegacyContainer
            || c.Name.StartsWith("layers\\", StringComparison.Ordinal) || c.Name.StartsWith(LegacyContainer + "\\", StringComparison.Ordinal));

    const string LegacyContainer = "_layer_checkpoint_dependencies";

    /// <summary>Returns <paramref name="model"/> with each layer's weights filled from <paramref name="root"/>, a file of <paramref name="fileBytes"/> bytes.</summary>
    public static ModelDescription Attach(ModelDescription model, IH5Group root, string file, long fileBytes)
    {
        var tree = new WeightTree(root, fileBytes);
        return Attach(model, tree, file, "") with { OptimizerState = tree.Optimizer(file) };
    }

    static ModelDescription Attach(ModelDescription model, WeightTree tree, string file, string prefix)
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
                ? layer with { Nested = Attach(nested, tree, file, path + "/") }
                : layer with { Weights = tree.CollectVars(path, file) });
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

    /// <summary>
    /// The file's datasets and groups by normalized path. tf.keras 2.13-2.15 on Windows joined paths with
    /// <c>os.path.join</c>, writing one root group named <c>layers\dense</c> instead of <c>layers/dense</c>
    /// (Keras 3 later added <c>.replace("\\", "/")</c>); both spellings read the same here.
    /// </summary>
    sealed class WeightTree
    {
        readonly Dictionary<string, IH5Dataset> datasets = new(StringComparer.Ordinal);
        readonly HashSet<string> groups = new(StringComparer.Ordinal);

        readonly long fileBytes;

        public WeightTree(IH5Group root, long fileBytes)
        {
            this.fileBytes = fileBytes;
            Walk(root, "");
        }

        /// <summary>Group path → the <c>name</c> attribute Keras recorded on it.</summary>
        public List<(string Path, string Name)> RecordedNames { get; } = [];

        void Walk(IH5Group group, string path)
        {
            foreach (var child in group.Children())
            {
                var childPath = path + child.Name.Replace('\\', '/');
                if (child is IH5Group g)
                {
                    for (var p = childPath; p.Length > 0; p = p.Contains('/') ? p[..p.LastIndexOf('/')] : "") groups.Add(p);
                    if (Hdf5Values.StringAttribute(g, "name") is { } name) RecordedNames.Add((childPath, name));
                    Walk(g, childPath + "/");
                }
                else if (child is IH5Dataset d) datasets[childPath] = d;
            }
        }

        public bool HasGroup(string path) => groups.Contains(path);

        /// <summary>
        /// The optimizer's variables (<c>optimizer/vars/0</c>, <c>1</c>, ... as keras/src/saving/saving_lib.py saves
        /// <c>model.optimizer</c>) and its recorded name, or null when the file holds none.
        /// </summary>
        public OptimizerState? Optimizer(string file)
        {
            const string vars = "optimizer/vars/";
            var entries = datasets.Where(d => d.Key.StartsWith(vars, StringComparison.Ordinal) && int.TryParse(d.Key[vars.Length..], out _))
                .OrderBy(d => int.Parse(d.Key[vars.Length..])).ToList();
            if (entries.Count == 0) return null;
            var name = RecordedNames.FirstOrDefault(r => r.Path == "optimizer/vars").Name ?? "optimizer";
            return new OptimizerState(name, entries.Select(d => Hdf5Values.ReadArray(d.Value, file, d.Key, fileBytes)).ToList());
        }

        /// <summary>A layer's own <c>vars</c> in index order, then those of its sub-objects (alphabetical), depth first.</summary>
        public List<WeightArray> CollectVars(string path, string file)
        {
            var result = new List<WeightArray>();
            Collect(path, "", file, result);
            return result;
        }

        void Collect(string path, string prefix, string file, List<WeightArray> result)
        {
            var varsPath = path + "/vars/";
            var own = datasets.Where(d => d.Key.StartsWith(varsPath, StringComparison.Ordinal) && !d.Key[varsPath.Length..].Contains('/'))
                .Select(d => (Name: d.Key[varsPath.Length..], Dataset: d.Value))
                .OrderBy(d => int.TryParse(d.Name, out var i) ? i : int.MaxValue);
            foreach (var (name, dataset) in own)
                result.Add(new WeightArray($"{prefix}vars/{name}", Hdf5Values.ReadArray(dataset, file, varsPath + name, fileBytes)));
            var children = groups.Where(g => g.StartsWith(path + "/", StringComparison.Ordinal) && !g[(path.Length + 1)..].Contains('/') && !g.EndsWith("/vars", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var child in children)
                Collect(child, $"{prefix}{child[(path.Length + 1)..]}/", file, result);
        }
    }
}
