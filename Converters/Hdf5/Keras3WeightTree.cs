using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>One HDF5 file of the Keras 3 weight layout: a whole <c>model.weights.h5</c>, or one shard of a sharded set.</summary>
/// <param name="Root">The file's root group.</param>
/// <param name="File">The file's path, for errors.</param>
/// <param name="FileBytes">The file's size, which bounds what a dataset may claim to hold.</param>
internal sealed record Keras3WeightsFile(IH5Group Root, string File, long FileBytes);

/// <summary>
/// The datasets and groups of one or more Keras 3 weight files, by normalized path: the shards of a sharded set
/// (keras/src/saving/saving_lib.py <c>ShardedH5IOStore</c>) hold the same group paths, each with part of the datasets,
/// and read as one file here. tf.keras 2.13-2.15 on Windows joined paths with <c>os.path.join</c>, writing one root
/// group named <c>layers\dense</c> instead of <c>layers/dense</c> (Keras 3 later added <c>.replace("\\", "/")</c>);
/// both spellings read the same here.
/// </summary>
internal sealed class Keras3WeightTree
{
    readonly Dictionary<string, (IH5Dataset Dataset, Keras3WeightsFile File)> datasets = new(StringComparer.Ordinal);
    readonly HashSet<string> groups = new(StringComparer.Ordinal);

    /// <summary>Walks every file; a dataset path found in two of them is refused, naming both.</summary>
    /// <exception cref="ModelFileException">Two files hold the same weight.</exception>
    public Keras3WeightTree(IReadOnlyList<Keras3WeightsFile> files)
    {
        foreach (var file in files) Walk(file, file.Root, "");
    }

    /// <summary>Group path → the <c>name</c> attribute Keras recorded on it.</summary>
    public List<(string Path, string Name)> RecordedNames { get; } = [];

    /// <summary>Every dataset path (<c>layers/dense/vars/0</c>) with the file that holds it.</summary>
    public IEnumerable<(string Path, string File)> Datasets => datasets.Select(d => (d.Key, d.Value.File.File));

    void Walk(Keras3WeightsFile file, IH5Group group, string path)
    {
        foreach (var child in group.Children())
        {
            var childPath = path + child.Name.Replace('\\', '/');
            if (child is IH5Group g)
            {
                for (var p = childPath; p.Length > 0; p = p.Contains('/') ? p[..p.LastIndexOf('/')] : "") groups.Add(p);
                if (Hdf5Values.StringAttribute(g, "name") is { } name) RecordedNames.Add((childPath, name));
                Walk(file, g, childPath + "/");
            }
            else if (child is IH5Dataset d)
            {
                if (datasets.TryGetValue(childPath, out var first) && !ReferenceEquals(first.File, file))
                    throw new ModelFileException(file.File, childPath,
                        $"weight is also in {Path.GetFileName(first.File.File)}: a weight must be in exactly one shard");
                datasets[childPath] = (d, file);
            }
        }
    }

    /// <summary>True if some file has a group at <paramref name="path"/>.</summary>
    public bool HasGroup(string path) => groups.Contains(path);

    /// <summary>
    /// The optimizer's variables (<c>optimizer/vars/0</c>, <c>1</c>, ... as keras/src/saving/saving_lib.py saves
    /// <c>model.optimizer</c>) and its recorded name, or null when the files hold none.
    /// </summary>
    public OptimizerState? Optimizer()
    {
        const string vars = "optimizer/vars/";
        var entries = datasets.Where(d => d.Key.StartsWith(vars, StringComparison.Ordinal) && int.TryParse(d.Key[vars.Length..], out _))
            .OrderBy(d => int.Parse(d.Key[vars.Length..])).ToList();
        if (entries.Count == 0) return null;
        var name = RecordedNames.FirstOrDefault(r => r.Path == "optimizer/vars").Name ?? "optimizer";
        return new OptimizerState(name, entries.Select(d => Read(d.Key, d.Value)).ToList());
    }

    /// <summary>A layer's own <c>vars</c> in index order, then those of its sub-objects (alphabetical), depth first.</summary>
    public List<WeightArray> CollectVars(string path)
    {
        var result = new List<WeightArray>();
        Collect(path, "", result);
        return result;
    }

    void Collect(string path, string prefix, List<WeightArray> result)
    {
        var varsPath = path + "/vars/";
        var own = datasets.Where(d => d.Key.StartsWith(varsPath, StringComparison.Ordinal) && !d.Key[varsPath.Length..].Contains('/'))
            .Select(d => (Name: d.Key[varsPath.Length..], Entry: d.Value))
            .OrderBy(d => int.TryParse(d.Name, out var i) ? i : int.MaxValue);
        foreach (var (name, entry) in own)
            result.Add(new WeightArray($"{prefix}vars/{name}", Read(varsPath + name, entry)));
        var children = groups.Where(g => g.StartsWith(path + "/", StringComparison.Ordinal) && !g[(path.Length + 1)..].Contains('/') && !g.EndsWith("/vars", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var child in children)
            Collect(child, $"{prefix}{child[(path.Length + 1)..]}/", result);
    }

    static NdArray Read(string path, (IH5Dataset Dataset, Keras3WeightsFile File) entry) =>
        Hdf5Values.ReadArray(entry.Dataset, entry.File.File, path, entry.File.FileBytes);
}
