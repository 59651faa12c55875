using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Training;

namespace KerasPort.Runtime.Graph;

/// <summary>
/// A model description made runnable: one layer object per described layer (shared layers are called once
/// per inbound node) and a fixed execution order of layer calls. Immutable after construction, so any number
/// of threads may execute it at once.
/// </summary>
public sealed class ModelGraph : IDisposable
{
    readonly Dictionary<string, KerasLayer> layers = new(StringComparer.Ordinal);
    readonly WeightBindings? bindings;
    readonly Lazy<InferencePlan> inference;
    readonly KerasMaskClearing maskClearing = KerasMaskClearing.None;
    readonly GraphWalk walk;

    /// <summary>
    /// Builds every layer with <paramref name="registry"/> and orders the calls. With
    /// <paramref name="initializeMissingWeights"/>, layers are built in call order while a dummy batch flows
    /// through the graph, so each layer knows its input shapes and can create the weights the file lacks
    /// (architecture-only files: summary and shape checks work without trained weights).
    /// </summary>
    public ModelGraph(ModelDescription description, LayerRegistry registry, Device device, bool initializeMissingWeights = false)
        : this(description, registry, device, initializeMissingWeights, null) { }

    /// <summary>
    /// Builds every layer for a training step: each weight of <paramref name="description"/> that
    /// <paramref name="bindings"/> covers is taken from its bound tensor (see <see cref="WeightBindings"/>), so the
    /// layers' outputs are differentiable with respect to those tensors. A graph built so is meant for one step.
    /// </summary>
    public ModelGraph(ModelDescription description, LayerRegistry registry, Device device, WeightBindings bindings)
        : this(description, registry, device, false, bindings) { }

    ModelGraph(ModelDescription description, LayerRegistry registry, Device device, bool initializeMissingWeights, WeightBindings? bindings)
    {
        Description = description;
        this.bindings = bindings;
        walk = new GraphWalk(description);
        inference = new Lazy<InferencePlan>(() => new InferencePlan(this), LazyThreadSafetyMode.ExecutionAndPublication);
        var generation = GenerationOf(description);
        try
        {
            if (initializeMissingWeights) BuildAlongDummyPass(registry, device, generation);
            foreach (var layer in description.Layers.Where(l => !layers.ContainsKey(l.Name)))
                layers[layer.Name] = Build(layer, new LayerContext(layer, generation, device, registry) { Bindings = bindings }, registry, device, initializeMissingWeights);
        }
        catch
        {
            Dispose();
            throw;
        }
        maskClearing = KerasMaskClearing.Of(description, name => layers.GetValueOrDefault(name) is IInferenceIdentity);
        if (maskClearing != KerasMaskClearing.None) walk = new GraphWalk(description, hidesMask: maskClearing.Hides);
        foreach (var input in description.Inputs)
            if (layers.GetValueOrDefault(input.Layer) is not InputLayer)
                throw new KerasPortException($"model '{description.Name}': input '{input.Layer}' is not an InputLayer");
    }

    KerasLayer Build(LayerDescription layer, LayerContext context, LayerRegistry registry, Device device, bool initializeMissingWeights) =>
        layer.Nested is { } nested
            ? new NestedModel(context, new ModelGraph(nested with { KerasVersion = nested.KerasVersion ?? Description.KerasVersion }, registry, device, initializeMissingWeights, bindings))
            : CreateLayer(registry, context);

    /// <summary>Size used for unknown (None) dimensions of the dummy batch.</summary>
    const int DummyFreeSize = 32;

    /// <summary>Largest dummy input (elements) built from a file's batch_shape: a hostile shape must not allocate terabytes.</summary>
    const long MaxDummyElements = 1L << 28;

    void BuildAlongDummyPass(LayerRegistry registry, Device device, KerasGeneration generation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = Description.Inputs.Select(reference =>
        {
            var input = Description.Layer(reference.Layer);
            var inputLayer = (InputLayer)Build(input, new LayerContext(input, generation, device, registry), registry, device, true);
            layers[input.Name] = inputLayer;
            var shape = inputLayer.ConcreteShape(batch: 1, free: DummyFreeSize);
            if (shape.Aggregate(1.0, (a, d) => a * d) > MaxDummyElements)
                throw new KerasPortException($"model '{Description.Name}': input '{input.Name}' has batch_shape ({string.Join(", ", shape)}), too large to build the model from");
            return inputLayer.TakesStrings ? TensorConversions.ToTensor(inputLayer.DummyInput(shape), device)
                : inputLayer.TakesIntegers ? zeros(shape, ScalarType.Int64, device) : zeros(shape, ScalarType.Float32, device);
        }).ToList();
        var run = new GraphRun(walk.Start(inputs));
        foreach (var call in walk.Calls)
        {
            var description = call.Layer;
            if (!layers.ContainsKey(description.Name))
            {
                var arguments = run.Arguments(call, null);
                var context = new LayerContext(description, generation, device, registry)
                {
                    InputShapes = arguments.Inputs.Select(t => t.Sizes()).ToList(),
                    KeywordInputShapes = arguments.Kwargs.Where(kv => kv.Value is Tensor).ToDictionary(kv => kv.Key, kv => ((Tensor)kv.Value!).Sizes()),
                    InitializeMissingWeights = true,
                };
                layers[description.Name] = Build(description, context, registry, device, true);
            }
            run.Call(call, layers[description.Name], null);
        }
    }

    static KerasLayer CreateLayer(LayerRegistry registry, LayerContext context)
    {
        try { return registry.Create(context); }
        catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException)
        {
            throw new KerasPortException($"layer '{context.Name}' ({context.ClassName}): {e.Message}", e);
        }
    }

    /// <summary>The description the graph was built from.</summary>
    public ModelDescription Description { get; }

    /// <summary>The layer objects, by name.</summary>
    public IReadOnlyDictionary<string, KerasLayer> Layers => layers;

    /// <summary>The input layers, in model-input order.</summary>
    public IReadOnlyList<InputLayer> InputLayers => Description.Inputs.Select(i => (InputLayer)layers[i.Layer]).ToList();

    static KerasGeneration GenerationOf(ModelDescription description) => description.KerasMajorVersion switch
    {
        1 => KerasGeneration.Keras1,
        2 => KerasGeneration.Keras2,
        _ => KerasGeneration.Keras3,
    };

    /// <summary>
    /// Runs the graph on <paramref name="inputs"/> (model-input order). With <paramref name="trace"/> set, every
    /// call's outputs are copied into it. Tensors created belong to the caller's dispose scope.
    /// </summary>
    public Tensor[] Execute(IReadOnlyList<Tensor> inputs, List<LayerCallOutput>? trace = null) => Execute(inputs, trace, false, null);

    /// <summary>
    /// Runs the graph as Keras's <c>model(x, training=...)</c>: every layer call gets <paramref name="training"/>,
    /// and the activity-regularization losses the calls produce (Keras's <c>model.losses</c> of the call) are added to
    /// <paramref name="addedLosses"/> when it is given.
    /// </summary>
    public Tensor[] Execute(IReadOnlyList<Tensor> inputs, List<LayerCallOutput>? trace, bool training, ICollection<Tensor>? addedLosses) =>
        Execute(inputs, trace, training, addedLosses, null);

    /// <summary>
    /// <see cref="Execute(IReadOnlyList{Tensor}, List{LayerCallOutput}?, bool, ICollection{Tensor}?)"/>, letting
    /// <paramref name="intercept"/> (when given) make any layer call of this graph itself: it returns the call's outputs,
    /// or null to have the layer called as usual. A nested model is one call here; to intercept its layers too, the
    /// intercept runs its graph with itself. Used by text generation, which calls decoder layers with their key/value cache.
    /// </summary>
    internal Tensor[] Execute(IReadOnlyList<Tensor> inputs, List<LayerCallOutput>? trace, bool training, ICollection<Tensor>? addedLosses,
        Func<KerasLayer, CallArguments, Tensor[]?>? intercept)
    {
        var values = walk.Start(inputs, admit: (i, input) => CastToDeclared(input, (InputLayer)layers[Description.Inputs[i].Layer]));
        if (trace is not null)
            foreach (var input in walk.Inputs)
                trace.Add(new LayerCallOutput(input.Tensor.Layer, 0, [TensorConversions.ToNdArray(values.Output(input))], null));
        var run = new GraphRun(values) { Training = training, AddedLosses = addedLosses, Intercept = intercept };
        foreach (var call in walk.Calls)
            run.Call(call, layers[call.Layer.Name], trace);
        return values.ModelOutputs(walk.Outputs);
    }

    /// <summary>
    /// Runs the graph for inference on <paramref name="inputs"/> (model-input order) through its
    /// <see cref="InferencePlan"/>, compiled on first use: the same outputs as <see cref="Execute(IReadOnlyList{Tensor}, List{LayerCallOutput}?)"/>
    /// up to the rounding of folded BatchNormalizations, with intermediates freed as soon as they are dead. The
    /// returned tensors belong to the caller's dispose scope.
    /// </summary>
    internal Tensor[] Infer(IReadOnlyList<Tensor> inputs) => inference.Value.Run(inputs);

    /// <summary>Which input masks Keras 3's MultiHeadAttention calls remove before later calls read them.</summary>
    internal KerasMaskClearing MaskClearing => maskClearing;

    /// <summary>The inference plan (compiled on first use).</summary>
    internal InferencePlan Plan => inference.Value;

    /// <summary>
    /// The arguments of <paramref name="call"/> in the pass <paramref name="values"/>, with their masks; floating inputs
    /// cast to the compute type of <paramref name="layer"/> (none before the layer is built).
    /// </summary>
    internal static CallArguments ArgumentsOf(WalkCall call, GraphValues<Tensor> values, KerasLayer? layer, bool training = false, ICollection<Tensor>? addedLosses = null)
    {
        Dictionary<Tensor, Tensor>? inputMasks = null;
        foreach (var (input, mask) in values.InputMasks(call) ?? [])
            (inputMasks ??= new(ReferenceEqualityComparer.Instance))[input] = mask;
        IReadOnlyList<object?> args = values.Args(call);
        var kwargs = values.Kwargs(call);
        if (layer?.AutocastType is { } type)
        {
            args = (IReadOnlyList<object?>)Autocast.Cast(args, type, ref inputMasks)!;
            if (kwargs.Count > 0)
                kwargs = kwargs.ToDictionary(k => k.Key, k => k.Key == "mask" ? k.Value : Autocast.Cast(k.Value, type, ref inputMasks));
        }
        return new(args, kwargs, values.PropagatedMask(call), inputMasks)
        {
            Training = training,
            AddedLosses = addedLosses,
        };
    }

    /// <summary>One pass through the graph that calls every layer as it is (training, traces, building).</summary>
    sealed class GraphRun(GraphValues<Tensor> values)
    {
        /// <summary>Keras's <c>training</c> flag for every call of this run.</summary>
        public bool Training { get; init; }

        /// <summary>Collects the losses calls add (activity regularization); null when nobody collects them.</summary>
        public ICollection<Tensor>? AddedLosses { get; init; }

        /// <summary>Makes a layer call itself when it returns outputs (the <c>intercept</c> of <see cref="ModelGraph.Execute(IReadOnlyList{Tensor}, List{LayerCallOutput}?, bool, ICollection{Tensor}?)"/>'s internal overload).</summary>
        public Func<KerasLayer, CallArguments, Tensor[]?>? Intercept { get; init; }

        public CallArguments Arguments(WalkCall call, KerasLayer? layer) => ArgumentsOf(call, values, layer, Training, AddedLosses);

        /// <summary>Runs one layer call, records its outputs (and mask), and copies them into <paramref name="trace"/> if given.</summary>
        public void Call(WalkCall call, KerasLayer layer, List<LayerCallOutput>? trace)
        {
            var description = call.Layer;
            var arguments = Arguments(call, layer);
            List<LayerCallOutput>? inner = trace is null || layer is not NestedModel ? null : [];
            Tensor[] outputs;
            try
            {
                outputs = Intercept?.Invoke(layer, arguments)
                    ?? (layer is NestedModel nested ? nested.Graph.Execute(arguments.Inputs, inner, Training, AddedLosses) : layer.Call(arguments));
            }
            catch (Exception e) when (e is not KerasPortException)
            {
                throw new KerasPortException($"layer '{description.Name}' ({description.ClassName}) failed: {e.Message}", e);
            }
            if (AddedLosses is not null && Regularizers.Activity(description) is { } regularizer)
                foreach (var output in outputs)
                    AddedLosses.Add(regularizer.ActivityLoss(output));
            values.Set(call.Slot, outputs);
            if (layer.ComputeMask(arguments, arguments.Mask) is { } mask) values.SetMask(call.Slot, mask, OutputsWithMask(layer, outputs.Length));
            trace?.Add(new LayerCallOutput(description.Name, call.Node, outputs.Select(TensorConversions.ToNdArray).ToList(),
                inner is null ? null : new ModelTrace(inner, outputs.Select(TensorConversions.ToNdArray).ToList())));
        }
    }

    /// <summary>
    /// How many of a call's outputs carry the mask its layer computes: the first only (keras/src/layers/layer.py
    /// <c>_set_mask_metadata</c> zips the flattened outputs with the flattened masks, and a layer's <c>compute_mask</c>
    /// gives one mask, or None for its states and attention scores), or the forward and backward sequences of a
    /// Bidirectional without merge mode (bidirectional.py <c>compute_mask</c>: <c>(mask, mask)</c>).
    /// </summary>
    internal static int OutputsWithMask(KerasLayer layer, int outputs) =>
        Math.Min(outputs, layer is Layers.Recurrent.Bidirectional { SplitsSequences: true } ? 2 : 1);

    /// <summary>Keras converts model inputs to the input layer's dtype.</summary>
    internal static Tensor CastToDeclared(Tensor input, InputLayer layer) => layer.DTypeName switch
    {
        "float32" when input.dtype != ScalarType.Float32 => input.to_type(ScalarType.Float32),
        "int32" or "int64" when input.is_floating_point() => input.to_type(ScalarType.Int64),
        _ => input,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (inference.IsValueCreated) inference.Value.Dispose();
        foreach (var layer in layers.Values) layer.Dispose();
        layers.Clear();
    }
}
