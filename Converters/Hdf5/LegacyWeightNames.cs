namespace KerasPort.Converters.Hdf5;

/// <summary>
/// The weights Keras's legacy HDF5 writer stores for a layer (keras/src/legacy/saving/legacy_h5_format.py
/// <c>save_weights_to_hdf5_group</c>): <c>_legacy_weights(layer)</c>, i.e. the trainable weights then the
/// non-trainable ones, each named by its variable path (<c>lstm/lstm_cell/kernel</c>; Keras 2 adds <c>:0</c>).
/// Weights read from a legacy file keep their names and order. Weights read from a Keras 3 file
/// (<c>cell/vars/0</c>) get the names Keras gives those variables: their specs' <see cref="LayerSpec.WeightRoles"/>,
/// placed in sub-objects as <see cref="Keras3WeightPaths"/> places them.
/// </summary>
internal static class LegacyWeightNames
{
    /// <summary>Variables Keras creates with <c>trainable=False</c>: BatchNormalization's and Normalization's statistics, SpectralNormalization's vector.</summary>
    static readonly HashSet<string> NonTrainable = ["moving_mean", "moving_variance", "mean", "variance", "count", "vector_u"];

    /// <summary>
    /// The weights of <paramref name="layer"/> as the legacy writer lists them, named
    /// <paramref name="scope"/> + variable path + <paramref name="suffix"/>; a nested model's inner layers' weights
    /// all go to the one layer (trainable ones of every inner layer first). A nested Sequential adds its name to the
    /// scope of its layers when <paramref name="sequentialScopes"/> (Keras 3 builds a Sequential's layers in its name
    /// scope: <c>inner_seq/inner_dense_1/kernel</c>).
    /// </summary>
    /// <exception cref="UnsupportedLayerException">The layer's Keras 3 weights have no known legacy names.</exception>
    public static List<WeightArray> Of(LayerDescription layer, string scope, string suffix, bool sequentialScopes)
    {
        var entries = Entries(layer, scope, suffix, sequentialScopes);
        return [.. entries.Where(e => e.Trainable).Select(e => e.Weight), .. entries.Where(e => !e.Trainable).Select(e => e.Weight)];
    }

    static List<(WeightArray Weight, bool Trainable)> Entries(LayerDescription layer, string scope, string suffix, bool sequentialScopes)
    {
        if (layer.Nested is { } nested)
        {
            // A nested Functional's layers were built when it was constructed, outside any Sequential's name scope
            // (Keras writes proj/kernel for a Functional inside Sequential "outer", not outer/proj/kernel).
            var innerScope = nested.ClassName == "Sequential" ? (sequentialScopes ? $"{scope}{layer.Name}/" : scope) : "";
            return nested.Layers.SelectMany(l => Entries(l, innerScope, suffix, sequentialScopes)).ToList();
        }
        bool frozen = !layer.Trainable;
        bool frozenKernel = KerasQuantization.FreezesKernel(layer.ClassName, layer.Config, layer.Name);
        bool Trainable(string name) => !frozen && !NonTrainable.Contains(Keras3WeightPaths.Leaf(name)) && !(frozenKernel && KerasQuantization.IsFrozen(Keras3WeightPaths.Leaf(name)));
        var names = layer.Weights.Select(w => w.Name).ToList();
        if (names.Count == 0) return [];
        if (!Keras3WeightPaths.IsKeras3Layout(names))
            return layer.Weights.Select(w => (w, Trainable(w.Name))).ToList();
        var paths = names.Select((n, i) => (Path: n, Source: i)).ToList();
        var mapped = Map(layer.ClassName, layer.Config, paths, layer.Name, suffix == ":0");
        if (mapped.Count != names.Count - Dropped(layer.ClassName))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"cannot name its weights in the legacy HDF5 layout: {names.Count} Keras 3 weights, {mapped.Count} known");
        var entries = mapped.Select(m => (new WeightArray($"{scope}{layer.Name}/{m.Name}{suffix}", layer.Weights[m.Source].Value), Trainable(m.Name))).ToList();
        return [.. entries, .. UnmergedLora(layer, mapped, $"{scope}{layer.Name}/", suffix)];
    }

    /// <summary>
    /// A LoRA layer read from a Keras 3 file holds the merged kernel; its legacy file also lists <c>lora_kernel_a/b</c>.
    /// Zeros keep the merged kernel's outputs, as Keras itself sets them to zeros after loading a Keras 3 file
    /// (keras/src/layers/core/dense.py <c>load_own_variables</c>).
    /// </summary>
    static IEnumerable<(WeightArray Weight, bool Trainable)> UnmergedLora(LayerDescription layer, List<(string Name, int Source)> mapped, string prefix, string suffix)
    {
        if (layer.ClassName is not ("Dense" or "EinsumDense") || KerasQuantization.Lora(layer.Config) is not { } lora) yield break;
        var kernel = layer.Weights[mapped.First(m => m.Name == "kernel").Source].Value.Shape;
        bool frozen = !layer.Trainable;
        foreach (var (name, shape) in new[] { ("lora_kernel_a", (long[])[.. kernel[..^1], lora.Rank]), ("lora_kernel_b", [lora.Rank, kernel[^1]]) })
            yield return (new WeightArray($"{prefix}{name}{suffix}", NdArray.Of(new float[shape.Aggregate(1L, (a, b) => a * b)], shape)), !frozen);
    }

    /// <summary>Keras 3 weights with no legacy counterpart: SpectralNormalization's own copy of the wrapped kernel.</summary>
    static int Dropped(string className) => className == "SpectralNormalization" ? 1 : 0;

    /// <summary>Names relative to the layer, in legacy order, for Keras 3 paths relative to the layer's group.</summary>
    static List<(string Name, int Source)> Map(string className, JsonObject config, List<(string Path, int Source)> paths, string layerName, bool keras2)
    {
        UnsupportedLayerException Unsupported(string why) => new(className, layerName, $"cannot name its weights in the legacy HDF5 layout: {why}");
        (string Class, JsonObject Config) InnerOf(string key) => Keras3WeightPaths.Inner(config, key) ?? throw Unsupported($"no serialized '{key}' config");
        // Read only by the cases that ask (after the wrappers); the weights come from a Keras 3 file.
        var spec = new Lazy<LayerSpec?>(() => LayerSpecs.Read(className, config, layerName, 3));
        switch (className)
        {
            case var _ when Keras3WeightPaths.CellNames.TryGetValue(className, out var cellName):
                return Prefixed(cellName + "/", Plain(spec.Value?.WeightNames ?? [], Under(paths, "cell"), Unsupported));
            case "RNN":
                var (cellClass, cellConfig) = InnerOf("cell");
                var cellScope = ((string?)cellConfig["name"] ?? Keras.KerasConfigReader.ToSnakeCase(cellClass)) + "/";
                if (cellClass != "StackedRNNCells") return Prefixed(cellScope, Map(cellClass, cellConfig, Under(paths, "cell"), layerName, keras2));
                var cells = cellConfig["cells"] as JsonArray ?? throw Unsupported("StackedRNNCells has no 'cells' list");
                var keys = Keras3WeightPaths.CellKeys(cells);
                return cells.SelectMany((cell, i) =>
                {
                    var (innerClass, innerConfig) = Keras3WeightPaths.Inner(new JsonObject { ["cell"] = cell?.DeepClone() }, "cell") ?? throw Unsupported($"cell {i} is not a serialized layer");
                    var name = (string?)innerConfig["name"] ?? keys[i];
                    return Prefixed($"{cellScope}{name}/", Map(innerClass, innerConfig, Under(paths, $"cell/cells/{keys[i]}"), layerName, keras2));
                }).ToList();
            case "Bidirectional":
                // keras/src/layers/rnn/bidirectional.py names its copies forward_<layer> and backward_<layer>.
                var (forwardClass, forwardConfig) = InnerOf("layer");
                var (backwardClass, backwardConfig) = config["backward_layer"] is JsonObject ? InnerOf("backward_layer") : (forwardClass, forwardConfig);
                return
                [
                    .. Prefixed($"forward_{Unprefixed((string?)forwardConfig["name"] ?? layerName, "forward_")}/", Map(forwardClass, forwardConfig, Under(paths, "forward_layer"), layerName, keras2)),
                    .. Prefixed($"backward_{Unprefixed((string?)backwardConfig["name"] ?? layerName, "backward_")}/", Map(backwardClass, backwardConfig, Under(paths, "backward_layer"), layerName, keras2)),
                ];
            case "TimeDistributed":
                var (innerLayerClass, innerLayerConfig) = InnerOf("layer");
                return Prefixed($"{(string?)innerLayerConfig["name"] ?? layerName}/", Map(innerLayerClass, innerLayerConfig, Under(paths, "layer"), layerName, keras2));
            case "SpectralNormalization":
                // Own vars: 0 is the wrapped kernel tracked again (dropped here), 1 is vector_u, which Keras lists after the wrapped layer's weights.
                var (wrappedClass, wrappedConfig) = InnerOf("layer");
                var own = Plain(["kernel", "vector_u"], paths.Where(p => p.Path.StartsWith("vars/", StringComparison.Ordinal)).ToList(), Unsupported);
                if (own.Count != 2) throw Unsupported("expected its own kernel and vector_u");
                return [.. Prefixed($"{(string?)wrappedConfig["name"] ?? layerName}/", Map(wrappedClass, wrappedConfig, Under(paths, "layer"), layerName, keras2)), own[1]];
            case var _ when spec.Value is MultiHeadSpec attention:
                // tf.keras 2.13-2.15 and early Keras 3 saved MultiHeadAttention's projections as _query_dense, ...: read both spellings.
                var unprefixed = paths.Select(p => (p.Path.TrimStart('_'), p.Source)).ToList();
                return attention.Projections
                    .SelectMany(o => Prefixed(o.Legacy + "/", Plain(attention.ProjectionRoles, Under(unprefixed, o.Keras3.TrimStart('_')), Unsupported))).ToList();
            default:
                var leaves = spec.Value is { } specced ? Leaves(specced, keras2) : throw Unsupported("no known variable names for this class");
                if (paths.Count != leaves.Count) throw Unsupported($"{paths.Count} weights where its config implies {leaves.Count} ({string.Join(", ", leaves)})");
                return Plain(leaves, paths, Unsupported);
        }
    }

    /// <summary>
    /// Variable names of a layer whose weights are all its own, as its spec names them; tf.keras named the depthwise
    /// kernel <c>depthwise_kernel</c> (the spec's name), Keras 3 names it <c>kernel</c> (base_depthwise_conv.py <c>build</c>).
    /// </summary>
    static IReadOnlyList<string> Leaves(LayerSpec spec, bool keras2) =>
        spec is DepthwiseConvSpec && !keras2 ? [.. spec.WeightNames.Select(name => name == "depthwise_kernel" ? "kernel" : name)] : spec.WeightNames;

    /// <summary>Own variables <c>vars/0..n</c> named by <paramref name="leaves"/>, in index order; anything else is an error.</summary>
    static List<(string Name, int Source)> Plain(IReadOnlyList<string> leaves, List<(string Path, int Source)> paths, Func<string, UnsupportedLayerException> unsupported) =>
        paths.Select(p => !p.Path.StartsWith("vars/", StringComparison.Ordinal) || !int.TryParse(p.Path["vars/".Length..], out var index) || index < 0 || index >= leaves.Count
                ? throw unsupported($"unexpected weight '{p.Path}' (variables known: {string.Join(", ", leaves)})")
                : (Index: index, p.Source))
            .OrderBy(p => p.Index).Select(p => (leaves[p.Index], p.Source)).ToList();

    /// <summary>The paths under sub-object <paramref name="group"/>, relative to it.</summary>
    static List<(string Path, int Source)> Under(List<(string Path, int Source)> paths, string group) =>
        paths.Where(p => p.Path.StartsWith(group + "/", StringComparison.Ordinal)).Select(p => (p.Path[(group.Length + 1)..], p.Source)).ToList();

    static List<(string Name, int Source)> Prefixed(string prefix, List<(string Name, int Source)> names) =>
        names.Select(n => (prefix + n.Name, n.Source)).ToList();

    static string Unprefixed(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
}
