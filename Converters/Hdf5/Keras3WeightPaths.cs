namespace KerasPort.Converters.Hdf5;

/// <summary>
/// Where each weight of a layer lives in Keras 3's weights file, relative to the layer's group (<c>vars/0</c>,
/// <c>cell/vars/1</c>, ...). The one place that maps legacy weight names to Keras 3 sub-objects;
/// <see cref="LegacyWeightNames"/> maps back with the same tables. The variables' names and order come from the
/// layers' specs (<see cref="LayerSpec.WeightRoles"/>, <see cref="MultiHeadSpec.Projections"/>).
/// </summary>
internal static class Keras3WeightPaths
{
    /// <summary>Recurrent layers whose cell is the sub-object <c>cell</c>, with the name Keras gives that cell (the variable paths of legacy files).</summary>
    public static readonly IReadOnlyDictionary<string, string> CellNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LSTM"] = "lstm_cell", ["GRU"] = "gru_cell", ["SimpleRNN"] = "simple_rnn_cell",
        ["ConvLSTM1D"] = "conv_lstm_cell", ["ConvLSTM2D"] = "conv_lstm_cell", ["ConvLSTM3D"] = "conv_lstm_cell",
    };

    /// <summary>The wrapped layer's <c>{class_name, config}</c> of a wrapper (<c>layer</c>, <c>cell</c>, ...), or null.</summary>
    public static (string ClassName, JsonObject Config)? Inner(JsonObject config, string key) =>
        config[key] is JsonObject { } inner && (string?)inner["class_name"] is { } className
            ? (className, inner["config"] as JsonObject ?? [])
            : null;

    /// <summary>
    /// The Keras 3 group keys of the cells of a StackedRNNCells: snake-cased class names counted per class within the
    /// list (keras/src/saving/saving_lib.py <c>_save_container_state</c>).
    /// </summary>
    public static List<string> CellKeys(JsonArray cells)
    {
        var used = new Dictionary<string, int>();
        return cells.Select(c =>
        {
            var key = KerasConfigReader.ToSnakeCase((string?)c?["class_name"] ?? "");
            used[key] = used.TryGetValue(key, out var count) ? count + 1 : 0;
            return used[key] == 0 ? key : $"{key}_{used[key]}";
        }).ToList();
    }

    /// <summary>
    /// The Keras 3 paths of <paramref name="layer"/>'s weights, each with the index of the weight written there (a
    /// path may repeat a weight: SpectralNormalization tracks the wrapped kernel as its own <c>vars/0</c> too). Names
    /// read from a Keras 3 file already are such paths. Legacy names (<c>dense/kernel:0</c>) map by class:
    /// plain layers (BatchNormalization included: gamma, beta, moving mean, moving variance) → <c>vars/0..n</c> in order;
    /// LSTM/GRU/SimpleRNN/ConvLSTM1D-3D → <c>cell/vars/0..2</c>; RNN → <c>cell/…</c> of its cell, a StackedRNNCells
    /// → <c>cell/cells/&lt;key&gt;/…</c> per cell; Bidirectional → <c>forward_layer/…</c> then <c>backward_layer/…</c>,
    /// half each; TimeDistributed → <c>layer/…</c> of its inner class; SpectralNormalization → <c>layer/…</c>, the
    /// wrapped kernel again as <c>vars/0</c> and <c>vector_u</c> as <c>vars/1</c>; MultiHeadAttention and
    /// GroupedQueryAttention → their four projections (kernel <c>vars/0</c>, bias <c>vars/1</c>).
    /// </summary>
    /// <exception cref="UnsupportedLayerException">The layer's weights have no known Keras 3 layout.</exception>
    public static IReadOnlyList<(string Path, int Source)> Of(LayerDescription layer)
    {
        var names = layer.Weights.Select(w => w.Name).ToList();
        if (IsKeras3Layout(names)) return names.Select((n, i) => (n, i)).ToList();
        return Legacy(layer.ClassName, layer.Config, names.Select((n, i) => (n, i)).ToList(), layer.Name);
    }

    /// <summary>True when every name is a Keras 3 HDF5 path (<c>vars/0</c>, <c>cell/vars/0</c>).</summary>
    public static bool IsKeras3Layout(IEnumerable<string> names) =>
        names.All(n => n.StartsWith("vars/", StringComparison.Ordinal) || n.Contains("/vars/", StringComparison.Ordinal));

    /// <summary>The last segment of a legacy weight name without its <c>:0</c> suffix (<c>bn/moving_mean:0</c> → <c>moving_mean</c>).</summary>
    public static string Leaf(string name) => name.Split('/')[^1].Split(':')[0];

    static List<(string Path, int Source)> Legacy(string className, JsonObject config, List<(string Name, int Source)> weights, string layerName)
    {
        UnsupportedLayerException Unsupported(string why) => new(className, layerName, $"cannot write its weights in the Keras 3 layout: {why}");
        // Read only by the cases that ask (after the wrappers); legacy files are Keras 1 and 2 files, and the generation
        // changes no weight's name or order.
        var spec = new Lazy<LayerSpec?>(() => LayerSpecs.Read(className, config, layerName, 2));
        switch (className)
        {
            case var _ when CellNames.ContainsKey(className):
                if (weights.Count is < 2 or > 3) throw Unsupported($"{weights.Count} weight arrays where Keras 3 has kernel, recurrent kernel and bias (a Keras 1 per-gate layout?)");
                return Numbered("cell/", weights);
            case "LSTMCell" or "GRUCell" or "SimpleRNNCell":
                if (weights.Count is < 2 or > 3) throw Unsupported($"{weights.Count} weight arrays where a cell has kernel, recurrent kernel and bias");
                return Numbered("", weights);
            case "RNN":
                return RnnCell(config, weights, layerName, Unsupported);
            case "Bidirectional":
                if (weights.Count % 2 != 0) throw Unsupported("an odd number of weight arrays");
                var inner = (string?)config["layer"]?["class_name"] ?? "";
                if (!CellNames.ContainsKey(inner)) throw Unsupported($"wrapped class '{inner}'");
                int half = weights.Count / 2;
                return [.. Numbered("forward_layer/cell/", weights[..half]), .. Numbered("backward_layer/cell/", weights[half..])];
            case "TimeDistributed":
                var (innerClass, innerConfig) = Inner(config, "layer") ?? throw Unsupported("no wrapped 'layer' config");
                return Prefixed("layer/", Legacy(innerClass, innerConfig, weights, layerName));
            case "SpectralNormalization":
                var (wrappedClass, wrappedConfig) = Inner(config, "layer") ?? throw Unsupported("no wrapped 'layer' config");
                var vector = weights.FindIndex(w => Leaf(w.Name) == "vector_u");
                if (vector < 0) throw Unsupported("no 'vector_u' weight");
                var wrapped = weights.Where((_, i) => i != vector).ToList();
                if (wrapped.Count == 0) throw Unsupported("no weights of the wrapped layer");
                // spectral_normalization.py build: self.kernel = self.layer.kernel (or embeddings), then vector_u; both saved as own vars.
                return [("vars/0", wrapped[0].Source), ("vars/1", weights[vector].Source), .. Prefixed("layer/", Legacy(wrappedClass, wrappedConfig, wrapped, layerName))];
            case var _ when spec.Value is MultiHeadSpec attention:
                var owners = attention.Projections.ToDictionary(o => o.Legacy, o => o.Keras3);
                var counts = new Dictionary<string, int>();
                return weights.Select(w =>
                {
                    var parts = w.Name.Split('/');
                    var owner = parts.Length >= 2 && owners.TryGetValue(parts[^2], out var o) ? o
                        : throw Unsupported($"weight '{w.Name}' belongs to no known projection (query, key, value, attention_output)");
                    int index = counts.GetValueOrDefault(owner);
                    counts[owner] = index + 1;
                    return ($"{owner}/vars/{index}", w.Source);
                }).ToList();
            case "CuDNNLSTM" or "CuDNNGRU":
                throw Unsupported("no mapping from its legacy weight names to Keras 3 sub-objects");
            case var _ when spec.Value is IKernelSpec { Options.Quantization: not null } quantized:
                // Legacy files list the trainable bias first; Keras 3 numbers the variables in variable_serialization_spec order.
                return ByName(quantized.WeightNames, weights, Unsupported);
            case "Dense" or "EinsumDense" when KerasQuantization.Lora(config) is not null && weights.Any(w => Leaf(w.Name).StartsWith("lora_kernel", StringComparison.Ordinal)):
                throw Unsupported("a legacy file's LoRA layer holds the base kernel and lora_kernel_a/b: merge them first (LegacyLora.Merged)");
            default:
                return Numbered("", weights);
        }
    }

    /// <summary>The weights named <paramref name="variables"/> (by their last segment), numbered in that order.</summary>
    static List<(string Path, int Source)> ByName(IReadOnlyList<string> variables, List<(string Name, int Source)> weights, Func<string, UnsupportedLayerException> unsupported)
    {
        if (weights.Count != variables.Count) throw unsupported($"{weights.Count} weight arrays where Keras saves {variables.Count} ({string.Join(", ", variables)})");
        return variables.Select((variable, i) => ($"vars/{i}", weights.FirstOrDefault(w => Leaf(w.Name) == variable) is { Name: not null } found
            ? found.Source : throw unsupported($"no '{variable}' weight"))).ToList();
    }

    /// <summary>
    /// An RNN's cell: one cell is the sub-object <c>cell</c>; a StackedRNNCells holds its cells under <c>cell/cells/&lt;key&gt;</c>,
    /// each cell's legacy weights found by the cell's name in their paths (<c>rnn/stacked_rnn_cells/lstm_cell_1/kernel</c>).
    /// </summary>
    static List<(string Path, int Source)> RnnCell(JsonObject config, List<(string Name, int Source)> weights, string layerName, Func<string, UnsupportedLayerException> unsupported)
    {
        var (cellClass, cellConfig) = Inner(config, "cell") ?? throw unsupported("no serialized 'cell' config");
        if (cellClass != "StackedRNNCells") return Prefixed("cell/", Legacy(cellClass, cellConfig, weights, layerName));
        var cells = cellConfig["cells"] as JsonArray ?? throw unsupported("StackedRNNCells has no 'cells' list");
        var keys = CellKeys(cells);
        var result = new List<(string Path, int Source)>();
        for (int i = 0; i < cells.Count; i++)
        {
            var (innerClass, innerConfig) = Inner(new JsonObject { ["cell"] = cells[i]?.DeepClone() }, "cell") ?? throw unsupported($"cell {i} is not a serialized layer");
            var name = (string?)innerConfig["name"];
            var share = cells.Count == 1 ? weights : weights.Where(w => w.Name.Split('/').Contains(name)).ToList();
            result.AddRange(Prefixed($"cell/cells/{keys[i]}/", Legacy(innerClass, innerConfig, share, layerName)));
        }
        if (result.Select(r => r.Source).Distinct().Count() != weights.Count)
            throw unsupported("its weights could not be matched to the stacked cells by name");
        return result;
    }

    static List<(string Path, int Source)> Numbered(string prefix, IReadOnlyList<(string Name, int Source)> weights) =>
        weights.Select((w, i) => ($"{prefix}vars/{i}", w.Source)).ToList();

    static List<(string Path, int Source)> Prefixed(string prefix, List<(string Path, int Source)> paths) =>
        paths.Select(p => (prefix + p.Path, p.Source)).ToList();
}
