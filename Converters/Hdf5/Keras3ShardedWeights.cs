using System.Text.Json;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Reads sharded Keras 3 weights, as <c>model.save_weights("model.weights.json", max_shard_size=...)</c> writes them
/// (keras/src/saving/saving_lib.py <c>ShardedH5IOStore</c>): an index <c>{"metadata": {...}, "weight_map": {"/layers/dense/vars":
/// "model_00000.weights.h5" or a list of shard names}}</c> beside shards <c>model_NNNNN.weights.h5</c>, each a Keras 3
/// weights file holding part of the datasets under the same group paths. One group's variables may be split across
/// shards. Every shard name goes through <see cref="ModelFolder.Resolve"/>: an index never makes KerasPort read a file
/// outside its own folder.
/// </summary>
internal static class Keras3ShardedWeights
{
    const string WeightMap = "weight_map";

    /// <summary>Largest index accepted: a real one is a few bytes per layer, far below this.</summary>
    const long MaxIndexBytes = 64L << 20;

    /// <summary>
    /// True if <paramref name="start"/>, the first kilobytes of a text file, is that of a sharded-weights index: JSON
    /// that names <c>weight_map</c> and no <c>class_name</c> (every Keras model config holds one near its start).
    /// </summary>
    public static bool IsIndex(string start) =>
        start.TrimStart().StartsWith('{') && start.Contains($"\"{WeightMap}\"", StringComparison.Ordinal)
        && !start.Contains("\"class_name\"", StringComparison.Ordinal);

    /// <summary>Returns <paramref name="model"/> with its weights read from the shards that the index <paramref name="indexPath"/> names.</summary>
    /// <exception cref="ModelFileException">The index is malformed, names a missing shard, or disagrees with what the shards hold.</exception>
    /// <exception cref="UnsafeModelFileException">The index names a shard outside its folder.</exception>
    public static ModelDescription Attach(ModelDescription model, string indexPath)
    {
        var weightMap = ReadIndex(indexPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shardNames = weightMap.Values.SelectMany(names => names).Distinct(StringComparer.Ordinal).ToList();
        var handles = new List<NativeFileHandle>();
        try
        {
            var files = new List<Keras3WeightsFile>();
            var nameOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in shardNames)
            {
                var shard = ModelFolder.Resolve(folder, name, indexPath);
                if (!File.Exists(shard))
                    throw new ModelFileException(indexPath, WeightMap, $"names shard '{name}', which is not in {folder}");
                var handle = Hdf5Values.Open(shard);
                handles.Add(handle);
                if (!Hdf5Values.Guard(shard, () => Keras3WeightsReader.IsKeras3WeightsGroup(handle.File)))
                    throw new ModelFileException(shard, "/", "shard holds no Keras 3 weights (no 'layers' or 'vars' group)");
                files.Add(new Keras3WeightsFile(handle.File, shard, handle.Length));
                nameOf.TryAdd(shard, name);
            }
            var tree = Hdf5Values.Guard(indexPath, () => new Keras3WeightTree(files));
            CheckAgainstIndex(tree, weightMap, nameOf, indexPath);
            return Hdf5Values.Guard(indexPath, () => Keras3WeightsReader.Attach(model, tree));
        }
        finally
        {
            foreach (var handle in handles) handle.Dispose();
        }
    }

    /// <summary>The index's <c>weight_map</c>: each variables group (<c>/layers/dense/vars</c>) with the shard names that hold it.</summary>
    static Dictionary<string, List<string>> ReadIndex(string indexPath)
    {
        if (!File.Exists(indexPath)) throw new ModelFileNotFoundException(indexPath);
        if (new FileInfo(indexPath).Length > MaxIndexBytes)
            throw new ModelFileException(indexPath, null, $"sharded-weights index is over {MaxIndexBytes >> 20} MiB; a real one is far smaller");
        // JsonDocument keeps repeated keys, so that one listed twice is refused by its full name.
        using var document = ParseIndex(indexPath);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(WeightMap, out var entries)
            || entries.ValueKind != JsonValueKind.Object)
            throw new ModelFileException(indexPath, WeightMap, "sharded-weights index has no 'weight_map' object");
        var weightMap = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in entries.EnumerateObject())
        {
            var value = entry.Value;
            var names = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(ShardName).ToList() : [ShardName(value)];
            if (names.Count == 0 || names.Any(n => n is null))
                throw new ModelFileException(indexPath, $"{WeightMap}/{entry.Name}", "expected a shard file name or a list of them");
            if (!weightMap.TryAdd(entry.Name, names.Distinct(StringComparer.Ordinal).ToList()!))
                throw new ModelFileException(indexPath, $"{WeightMap}/{entry.Name}", "the index lists this group twice");
        }
        return weightMap;
    }

    static JsonDocument ParseIndex(string indexPath)
    {
        try { return JsonDocument.Parse(File.ReadAllText(indexPath)); }
        catch (JsonException e) { throw new ModelFileException(indexPath, null, $"malformed sharded-weights index: {e.Message}", e); }
    }

    static string? ShardName(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// Refuses shards that disagree with the index: Keras looks a variable up only in the shards its group lists, so a
    /// weight elsewhere, or a listed group that no shard holds, would load something other than what Keras loads.
    /// </summary>
    static void CheckAgainstIndex(Keras3WeightTree tree, Dictionary<string, List<string>> weightMap, Dictionary<string, string> nameOf, string indexPath)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, file) in tree.Datasets)
        {
            var group = "/" + path[..Math.Max(path.LastIndexOf('/'), 0)];
            var shard = nameOf[file];
            if (!weightMap.TryGetValue(group, out var listed))
                throw new ModelFileException(file, path, $"weight is in no group of the index {Path.GetFileName(indexPath)} ('{group}' is not in its weight_map)");
            if (!listed.Contains(shard))
                throw new ModelFileException(file, path, $"weight is in {shard}, but the index {Path.GetFileName(indexPath)} lists '{group}' in {string.Join(", ", listed)} only");
            held.Add(group);
        }
        foreach (var (group, shards) in weightMap.Where(entry => !held.Contains(entry.Key)))
            throw new ModelFileException(indexPath, $"{WeightMap}/{group}", $"no shard holds any weight of this group (listed in {string.Join(", ", shards)})");
    }
}
