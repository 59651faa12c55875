namespace KerasPort;

/// <summary>Points at one tensor in a functional graph: output <see cref="TensorIndex"/> of call number <see cref="NodeIndex"/> of layer <see cref="Layer"/> (Keras's <c>keras_history</c>).</summary>
public sealed record TensorRef(string Layer, int NodeIndex, int TensorIndex)
{
    /// <inheritdoc />
    public override string ToString() => $"{Layer}[{NodeIndex}][{TensorIndex}]";
}

/// <summary>One argument of a layer call: a tensor, a constant, or a list/tuple of arguments.</summary>
public abstract record NodeArgument
{
    /// <summary>Every tensor this argument refers to, depth first.</summary>
    public abstract IEnumerable<TensorRef> Tensors { get; }
}

/// <summary>A tensor argument.</summary>
public sealed record TensorArgument(TensorRef Tensor) : NodeArgument
{
    /// <inheritdoc />
    public override IEnumerable<TensorRef> Tensors => [Tensor];
}

/// <summary>A constant argument (a number, string, bool or null), kept as JSON.</summary>
public sealed record ConstantArgument(JsonNode? Value) : NodeArgument
{
    /// <inheritdoc />
    public override IEnumerable<TensorRef> Tensors => [];
}

/// <summary>A list or tuple of arguments, e.g. the inputs of Concatenate.</summary>
public sealed record ListArgument(IReadOnlyList<NodeArgument> Items) : NodeArgument
{
    /// <inheritdoc />
    public override IEnumerable<TensorRef> Tensors => Items.SelectMany(i => i.Tensors);
}

/// <summary>One call of a layer in the graph: its positional and keyword arguments.</summary>
public sealed record InboundNode(IReadOnlyList<NodeArgument> Args, IReadOnlyDictionary<string, NodeArgument> Kwargs)
{
    /// <summary>Every tensor the call consumes, positional first.</summary>
    public IEnumerable<TensorRef> Tensors => Args.SelectMany(a => a.Tensors).Concat(Kwargs.Values.SelectMany(a => a.Tensors));
}

/// <summary>
/// An optimizer's state as Keras saves it (keras/src/optimizers/base_optimizer.py <c>save_own_variables</c>): its
/// variables in <c>optimizer.variables</c> order (<c>iteration</c>, <c>learning_rate</c>, then the slots), and its name.
/// </summary>
public sealed record OptimizerState(string Name, IReadOnlyList<NdArray> Variables);

/// <summary>A named weight array in Keras layout (e.g. a Dense kernel is <c>[in, out]</c>).</summary>
public sealed record WeightArray(string Name, NdArray Value);

/// <summary>
/// One layer of a model: its Keras class, its normalized config, how it is called, and its weights in
/// the order of Keras's <c>layer.weights</c>. A nested model carries its own <see cref="Nested"/> description.
/// </summary>
public sealed record LayerDescription
{
    /// <summary>The layer's unique name in its model.</summary>
    public required string Name { get; init; }

    /// <summary>Keras class name, e.g. <c>Dense</c>; Keras 3 op nodes use the op's class, e.g. <c>NotEqual</c>.</summary>
    public required string ClassName { get; init; }

    /// <summary>The layer's config with Keras-3 names and defaults filled in.</summary>
    public required JsonObject Config { get; init; }

    /// <summary>The layer's calls, in node-index order. Empty for input layers.</summary>
    public IReadOnlyList<InboundNode> InboundNodes { get; init; } = [];

    /// <summary>Weights in Keras order.</summary>
    public IReadOnlyList<WeightArray> Weights { get; init; } = [];

    /// <summary>For a nested Sequential/Functional model used as a layer: its description.</summary>
    public ModelDescription? Nested { get; init; }

    /// <summary>
    /// For a layer that is another layer of the model called again from an outer graph (a KerasHub task's logits
    /// call of its backbone's <c>token_embedding</c>): the path of that layer, <c>nested_model/layer</c>, whose weights
    /// this layer uses. Keras saves such a layer once, at its first path, so the weights are attached there and
    /// copied here (<see cref="ModelDescription.WithSharedWeights"/>). Null for ordinary layers.
    /// </summary>
    public string? SharesWeightsOf { get; init; }

    /// <summary>Keras's <c>layer.trainable</c> as the config's <c>trainable</c> flag says (true when absent): false freezes the layer's weights.</summary>
    public bool Trainable => Config["trainable"] is not JsonValue flag || !flag.TryGetValue<bool>(out var trainable) || trainable;

    /// <summary>The Python module the config names (Keras 3), used to tell layers from <c>keras.ops</c> nodes.</summary>
    public string? Module { get; init; }

    /// <summary>True for raw <c>keras.ops</c> nodes (e.g. NotEqual) that Keras 3 writes into functional configs.</summary>
    public bool IsOp => Module is not null && (Module.StartsWith("keras.src.ops", StringComparison.Ordinal) || Module.StartsWith("keras.ops", StringComparison.Ordinal));

    /// <summary>
    /// True for KerasHub layers (module <c>keras_hub.*</c>), whose class names can repeat Keras's: keras_hub's Gemma
    /// <c>RMSNormalization</c> scales by <c>1 + scale</c>, unlike <c>keras.layers.RMSNormalization</c>.
    /// </summary>
    public bool IsKerasHub => Module is not null && Module.StartsWith("keras_hub.", StringComparison.Ordinal);

    /// <summary>
    /// The key the layer's handlers (runtime factory, ONNX lowering) are registered under: the class name; <c>ops.</c> +
    /// class name for raw <c>keras.ops</c> nodes (the <c>Add</c> op is not the <c>Add</c> layer); KerasHub's registered
    /// name (<c>keras_hub&gt;</c> + class name) for KerasHub layers.
    /// </summary>
    public string RegistryKey => IsOp ? OpSpec.Prefix + ClassName : IsKerasHub ? "keras_hub>" + ClassName : ClassName;
}

/// <summary>
/// The format-neutral description of a Keras model that every reader produces and every writer and the
/// runtime consume: layers, graph edges, inputs, outputs and weights. Sequential models are described as
/// the equivalent functional graph.
/// </summary>
public sealed record ModelDescription
{
    /// <summary>Model name.</summary>
    public required string Name { get; init; }

    /// <summary><c>Functional</c>, <c>Sequential</c> or <c>Model</c>, as the file says.</summary>
    public required string ClassName { get; init; }

    /// <summary>Layers in the order Keras lists them (the order of <c>model.layers</c>, input layers included).</summary>
    public required IReadOnlyList<LayerDescription> Layers { get; init; }

    /// <summary>Model inputs, in order.</summary>
    public required IReadOnlyList<TensorRef> Inputs { get; init; }

    /// <summary>Model outputs, in <c>model.outputs</c> order (dict outputs: sorted keys).</summary>
    public required IReadOnlyList<TensorRef> Outputs { get; init; }

    /// <summary>Output names for dict-valued outputs, parallel to <see cref="Outputs"/>; null otherwise.</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>Keras version that wrote the file, e.g. <c>3.15.1</c> or <c>2.2.4</c>; null if unknown.</summary>
    public string? KerasVersion { get; init; }

    /// <summary>Backend that wrote the file (<c>tensorflow</c>, <c>torch</c>, <c>theano</c>, ...), if known.</summary>
    public string? Backend { get; init; }

    /// <summary>
    /// How the model was compiled, in Keras 3's <c>compile_config</c> form (<c>optimizer</c>, <c>loss</c>, <c>metrics</c>,
    /// <c>weighted_metrics</c>, <c>loss_weights</c>, ...): <c>config.json</c>'s <c>compile_config</c> of a <c>.keras</c> file,
    /// or a legacy HDF5's <c>training_config</c> with its <c>optimizer_config</c> under <c>optimizer</c>. Null for a
    /// model saved uncompiled (and for architecture files).
    /// </summary>
    public JsonObject? CompileConfig { get; init; }

    /// <summary>The optimizer's saved variables (a <c>.keras</c> file's <c>optimizer/vars</c>), or null.</summary>
    public OptimizerState? OptimizerState { get; init; }

    /// <summary>
    /// The KerasHub tokenizer and preprocessor saved with the model (a task's <c>config.preprocessor</c>, or a preset
    /// folder's <c>preprocessor.json</c>), read with it from the same file; null when it has none.
    /// </summary>
    public KerasHub.KerasHubSavedTokenizer? SavedTokenizer { get; init; }

    /// <summary>Every weight of the model in layer order, those of nested models included (at their place).</summary>
    public IEnumerable<WeightArray> AllWeights() =>
        Layers.SelectMany(layer => layer.Nested is { } nested ? nested.AllWeights() : layer.Weights);

    /// <summary>
    /// The model with each layer that <see cref="LayerDescription.SharesWeightsOf"/> another given that layer's
    /// weights, at any depth of nesting (a reference is resolved within the model that holds the referring layer).
    /// </summary>
    public ModelDescription WithSharedWeights() => this with
    {
        Layers = Layers.Select(layer => layer.SharesWeightsOf is { } path
            ? layer with { Weights = LayerAt(path).Weights }
            : layer.Nested is { } nested ? layer with { Nested = nested.WithSharedWeights() } : layer).ToList(),
    };

    /// <summary>The layer at <paramref name="path"/>: a layer name, or nested model names and a layer name joined by <c>/</c>.</summary>
    public LayerDescription LayerAt(string path)
    {
        var parts = path.Split('/', 2);
        var layer = Layer(parts[0]);
        if (parts.Length == 1) return layer;
        return layer.Nested?.LayerAt(parts[1]) ?? throw new KerasPortException($"model '{Name}': layer '{parts[0]}' is not a nested model (path '{path}')");
    }

    /// <summary>The layer called <paramref name="name"/>.</summary>
    public LayerDescription Layer(string name) =>
        Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new KerasPortException($"model '{Name}' has no layer '{name}'");

    /// <summary>
    /// The names the outputs go by: dict outputs keep their keys; otherwise the producing layer's name, suffixed
    /// <c>_i</c> when one layer yields several model outputs.
    /// </summary>
    public IReadOnlyList<string> OutputKeys() => OutputNames ?? Outputs.Select(o =>
        Outputs.Count(x => x.Layer == o.Layer) > 1 ? $"{o.Layer}_{o.TensorIndex}" : o.Layer).ToList();

    /// <summary>Keras major version (1, 2 or 3) from <see cref="KerasVersion"/>; 3 when unknown.</summary>
    public int KerasMajorVersion =>
        KerasVersion is { Length: > 0 } v && int.TryParse(v.Split('.')[0], out var major) ? major : 3;
}
