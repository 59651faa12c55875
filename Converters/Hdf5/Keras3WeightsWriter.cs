using PureHDF;

namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Writes a model's weights in Keras 3's own layout (<c>model.weights.h5</c>, keras/src/saving/saving_lib.py
/// <c>_save_state</c>): <c>layers/&lt;snake_case_class&gt;[_N]/vars/&lt;i&gt;</c> with sub-objects as nested groups,
/// each <c>vars</c> group carrying the object's <c>name</c> attribute, and a root <c>vars</c> group named after the model.
/// A description with an <see cref="OptimizerState"/> also gets <c>optimizer/vars/&lt;i&gt;</c>, so Keras resumes training
/// from it.
/// </summary>
public static class Keras3WeightsWriter
{
    /// <summary>Writes the weights of <paramref name="model"/> as HDF5 to <paramref name="stream"/>.</summary>
    /// <exception cref="UnsupportedLayerException">A layer's weights have no known Keras 3 layout.</exception>
    public static void Write(ModelDescription model, Stream stream) => Tree(model, Hdf5Writing.Dataset).Write(stream);

    /// <summary>
    /// Splits the weights of <paramref name="model"/> into shards of at most <paramref name="maxShardBytes"/> each,
    /// as <c>model.save_weights("NAME.weights.json", max_shard_size=...)</c> does (keras/src/saving/saving_lib.py
    /// <c>ShardedH5IOStore</c>): weights in save order; a weight that would take the current shard over the limit
    /// starts the next one, so one layer's weights may span shards; each group is made, with its attributes, in the
    /// shard that is current when the walk reaches it. Shards are named <c>NAME_00000.weights.h5</c>, ... after
    /// <paramref name="indexFileName"/> (<c>NAME.weights.json</c>); the index maps each group holding weights to the
    /// shards that hold them.
    /// </summary>
    /// <exception cref="UnsupportedLayerException">A layer's weights have no known Keras 3 layout.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A single weight is larger than <paramref name="maxShardBytes"/>.</exception>
    public static ShardedWeights Shard(ModelDescription model, string indexFileName, long maxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        var baseName = Path.GetFileName(indexFileName).Replace(".json", "", StringComparison.Ordinal).Replace(".weights", "", StringComparison.Ordinal);
        var shards = new List<ShardedWeights.Shard>();
        var weightMap = new JsonObject();
        long shardBytes = 0, totalBytes = 0;
        H5File NewShard()
        {
            shards.Add(new ShardedWeights.Shard($"{baseName}_{shards.Count:D5}.weights.h5", new H5File()));
            return shards[^1].File;
        }
        var current = NewShard();
        var sizes = new Dictionary<H5Dataset, long>(ReferenceEqualityComparer.Instance);
        H5Dataset Sized(NdArray array)
        {
            var dataset = Hdf5Writing.Dataset(array);
            sizes[dataset] = ModelConverter.ByteSize(array);
            return dataset;
        }

        void Walk(H5Group source, List<string> path)
        {
            if (path.Count > 0) Group(current, path, source.Attributes);
            foreach (var (key, child) in source)
            {
                if (child is H5Group group)
                {
                    Walk(group, [.. path, key]);
                    continue;
                }
                var dataset = (H5Dataset)child;
                long bytes = sizes[dataset];
                var groupName = "/" + string.Join('/', path);
                if (bytes > maxShardBytes)
                    throw new ArgumentOutOfRangeException(nameof(maxShardBytes), $"weight '{groupName}/{key}' is {bytes:N0} bytes, more than the largest shard allowed ({maxShardBytes:N0} bytes)");
                totalBytes += bytes;
                shardBytes += bytes;
                if (shardBytes > maxShardBytes)
                {
                    current = NewShard();
                    shardBytes = bytes;
                }
                Group(current, path, attributes: null)[key] = dataset;
                var names = (JsonArray)(weightMap[groupName] ??= new JsonArray());
                if (names.All(n => n!.GetValue<string>() != shards[^1].Name)) names.Add(shards[^1].Name);
            }
        }
        Walk(Tree(model, Sized), []);
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = (double)totalBytes }, ["weight_map"] = weightMap };
        return new ShardedWeights(index.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), shards);
    }

    /// <summary>The group at <paramref name="path"/> in <paramref name="root"/>, made (with <paramref name="attributes"/>, if given) where missing.</summary>
    static H5Group Group(H5Group root, List<string> path, IDictionary<string, object>? attributes)
    {
        var group = Hdf5Writing.GroupAt(root, path, _ => new H5Group());
        if (attributes is { Count: > 0 } && group.Attributes is null or { Count: 0 }) group.Attributes = new Dictionary<string, object>(attributes);
        return group;
    }

    /// <summary>The whole weights file as a tree, its datasets made by <paramref name="dataset"/>.</summary>
    static H5File Tree(ModelDescription model, Func<NdArray, H5Dataset> dataset)
    {
        var root = new H5File();
        Fill(root, model, dataset);
        if (model.OptimizerState is { } optimizer)
        {
            var vars = Vars(optimizer.Name);
            for (int i = 0; i < optimizer.Variables.Count; i++) vars[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = dataset(optimizer.Variables[i]);
            root["optimizer"] = new H5Group { ["vars"] = vars };
        }
        return root;
    }

    static void Fill(H5Group group, ModelDescription model, Func<NdArray, H5Dataset> dataset)
    {
        group["vars"] = Vars(model.Name);
        var layers = new H5Group();
        group["layers"] = layers;
        var used = new Dictionary<string, int>();
        foreach (var described in model.Layers)
        {
            // A legacy file's LoRA layer holds unmerged matrices; Keras 3 files hold the merged kernel.
            var layer = LegacyLora.Merged(described);
            var key = NextKey(layer.ClassName, used);
            var layerGroup = new H5Group();
            layers[key] = layerGroup;
            if (layer.Nested is { } nested)
            {
                Fill(layerGroup, nested with { Name = layer.Name }, dataset);
                continue;
            }
            layerGroup["vars"] = Vars(layer.Name);
            foreach (var (path, source) in Keras3WeightPaths.Of(layer))
                Hdf5Writing.Place(layerGroup, path, dataset(layer.Weights[source].Value), part => part == "vars" ? Vars(layer.Name) : new H5Group());
        }
    }

    /// <summary>The per-class counter of Keras's <c>_save_container_state</c>: <c>dense</c>, <c>dense_1</c>, ...</summary>
    static string NextKey(string className, Dictionary<string, int> used)
    {
        var name = KerasConfigReader.ToSnakeCase(KerasConfigWriter.PythonClassName(className));
        int count = used.TryGetValue(name, out var seen) ? seen + 1 : 0;
        used[name] = count;
        return count == 0 ? name : $"{name}_{count}";
    }

    static H5Group Vars(string name) => new() { Attributes = new() { ["name"] = name } };
}

/// <summary>Sharded Keras 3 weights: the index (<c>NAME.weights.json</c>) and the shards it names, in order.</summary>
public sealed record ShardedWeights(string Index, IReadOnlyList<ShardedWeights.Shard> Shards)
{
    /// <summary>One shard: its file name (beside the index) and its contents.</summary>
    public sealed record Shard(string Name, H5File File);
}
