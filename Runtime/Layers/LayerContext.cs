using KerasPort.Runtime.Activations;

namespace KerasPort.Runtime.Layers;

/// <summary>
/// What a layer factory gets: the layer's description, typed access to its config, its weights as tensors
/// (checked against the shapes the layer expects), the Keras generation and the target device.
/// </summary>
public sealed class LayerContext : LayerReader
{
    /// <summary>Creates a context for <paramref name="description"/>.</summary>
    public LayerContext(LayerDescription description, KerasGeneration generation, Device device, LayerRegistry registry) : base(description)
    {
        Generation = generation;
        Device = device;
        Registry = registry;
        weights = [.. description.Weights];
        autocastType = new(() => Graph.Autocast.ComputeType(this));
    }

    readonly List<WeightArray> weights;

    /// <summary>
    /// Shapes of the tensors of the layer's first call (batch axis first), when the graph is built along a dummy
    /// pass; null otherwise. Layers use them to state the full shape of each weight.
    /// </summary>
    public IReadOnlyList<long[]>? InputShapes { get; init; }

    /// <summary>
    /// Shapes of the tensors the first call passed by keyword (e.g. a tf.keras attention layer's <c>value</c>), by
    /// keyword, when the graph is built along a dummy pass; null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, long[]>? KeywordInputShapes { get; init; }

    /// <summary>When true, weights the file does not have are created (Keras-like initial values) instead of being an error.</summary>
    public bool InitializeMissingWeights { get; init; }

    /// <summary>
    /// Live tensors for the weights when the layer is built for a training step (see <see cref="WeightBindings"/>);
    /// null for an ordinary (inference) build. Layers check this only where training needs a different form than the
    /// precomputed one inference uses (e.g. BatchNormalization keeps its raw statistics).
    /// </summary>
    public WeightBindings? Bindings { get; init; }

    /// <summary>Sizes of the first input at <paramref name="axes"/> (negative count from the end, sorted), or -1s when unknown.</summary>
    public long[] InputDims(IEnumerable<int> axes)
    {
        int rank = InputShapes is [var first, ..] ? first.Length : 0;
        return axes.Select(a => a < 0 ? a + rank : a).Distinct().Order().Select(a => rank == 0 ? -1 : InputDim(a)).ToArray();
    }

    /// <summary>Size of axis <paramref name="axis"/> of the first input (negative counts from the end), or -1 when unknown.</summary>
    public long InputDim(int axis) => InputShapes is [var first, ..] && first.Length > 0
        ? first[axis < 0 ? first.Length + axis : axis]
        : -1;

    /// <summary>Which Keras wrote the file; decides generation-specific numerics such as hard_sigmoid.</summary>
    public KerasGeneration Generation { get; }

    /// <inheritdoc />
    public override int KerasMajor => Generation switch { KerasGeneration.Keras1 => 1, KerasGeneration.Keras2 => 2, _ => 3 };

    /// <summary>Where weights are placed.</summary>
    public Device Device { get; }

    /// <summary>The registry in use, for layers that build inner layers (wrappers, nested models).</summary>
    public LayerRegistry Registry { get; }

    /// <summary>The context of the layer this one is nested in; weights created here are added to it too.</summary>
    LayerContext? Outer { get; init; }

    /// <summary>
    /// A context for a layer nested inside this one (a wrapper's inner layer, an RNN's cell), with the same
    /// generation, device, registry and <see cref="InitializeMissingWeights"/>. <paramref name="inputShapes"/> are
    /// the shapes the inner layer is called on (an RNN cell sees one time step); they apply only when this
    /// context knows its own. Weights the inner layer creates are appended to this context's weights as well, so
    /// the outer layer holds (and counts) them, as Keras counts a wrapper's inner weights as its own.
    /// </summary>
    public LayerContext ForInner(LayerDescription inner, IReadOnlyList<long[]>? inputShapes) => new(inner, Generation, Device, Registry)
    {
        InputShapes = InputShapes is null ? null : inputShapes,
        InitializeMissingWeights = InitializeMissingWeights,
        Bindings = Bindings,
        Outer = this,
    };

    /// <summary>
    /// The registry key: the class name for layers, <c>ops.</c> + class name for raw <c>keras.ops</c> nodes, which
    /// share class names with layers (the <c>Add</c> op is not the <c>Add</c> layer).
    /// </summary>
    public string RegistryKey => Description.RegistryKey;

    /// <summary>The weights in Keras order: those of the file, plus any created because the file lacked them.</summary>
    public override IReadOnlyList<WeightArray> Weights => weights;

    /// <summary>The activation named by config key <paramref name="key"/> (a string, or a serialized function in Keras 3).</summary>
    public Func<Tensor, Tensor> Activation(string key = "activation") => ActivationFunction(ActivationName(key));

    /// <summary>The activation named <paramref name="name"/> (a spec's activation), as the model's Keras generation defines it.</summary>
    public Func<Tensor, Tensor> ActivationFunction(string name) => Activations.Activations.Resolve(name, Generation, Name);

    /// <inheritdoc />
    protected override bool CreatesMissingWeights => InitializeMissingWeights;

    /// <summary>
    /// Weight <paramref name="index"/> as a float32 tensor (float64 for a float64 layer: <see cref="ComputesInFloat64"/>) on the device, checked against
    /// <paramref name="expectedShape"/> (entries of -1 match any size). With <see cref="Bindings"/>, an alias of the
    /// bound tensor (a new handle the caller may dispose), so that gradients flow back to it.
    /// </summary>
    public Tensor Weight(int index, string role, params long[] expectedShape)
    {
        if (index >= Weights.Count && InitializeMissingWeights && index == weights.Count)
            AddCreated(new WeightArray(role, InitialValue(role, expectedShape)));
        var weight = CheckedWeight(index, role, expectedShape);
        if (Bindings is not null && Bindings.TryGet(weight.Value, out var variable))
        {
            Bindings.NoteRole(weight.Value, role, Config);
            return variable.alias();
        }
        return TensorConversions.ToTensor(ComputesInFloat64
            ? NdArray.Of(weight.Value.ToDoubles(), weight.Value.Shape)
            : NdArray.Of(weight.Value.ToFloats(), weight.Value.Shape), Device);
    }

    /// <summary>
    /// Whether the layer's dtype policy is float64: its variables and computation are float64 in Keras (its inputs are
    /// autocast to float64 by the graph), so its weights load as float64.
    /// </summary>
    public bool ComputesInFloat64 => AutocastType == ScalarType.Float64;

    /// <summary>
    /// The float type the graph casts the layer's floating inputs to before a call (<see cref="Graph.Autocast"/>), or
    /// null for none; worked out once, on first use, from the dtype policy and <see cref="Bindings"/>.
    /// </summary>
    internal ScalarType? AutocastType => autocastType.Value;

    readonly Lazy<ScalarType?> autocastType;

    void AddCreated(WeightArray weight)
    {
        weights.Add(weight);
        Outer?.AddCreated(weight);
    }

    /// <summary>
    /// A starting value for a weight the file lacks, by its role: ones for scales and variances, zeros for biases,
    /// offsets and means, and a seeded Glorot-uniform draw otherwise (Keras's default kernel initializer).
    /// </summary>
    NdArray InitialValue(string role, long[] shape)
    {
        if (shape.Any(d => d < 0))
            throw new WeightMismatchException(Name, role, $"cannot create '{role}': its shape ({string.Join(", ", shape)}) is not known without the layer's input shape");
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        if (role.Contains("variance") || role is "gamma" or "scale" or "alpha")
            Array.Fill(data, 1f);
        else if (!(role.Contains("bias") || role.Contains("beta") || role.Contains("mean") || role == "count"))
        {
            long fanIn = shape.Length >= 2 ? shape[..^1].Aggregate(1L, (a, b) => a * b) : shape.FirstOrDefault(1);
            long fanOut = shape.Length >= 1 ? shape[^1] : 1;
            float limit = (float)Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));
            var random = new Random(StableSeed($"{Name}/{role}"));
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1) * limit;
        }
        return NdArray.Of(data, shape);
    }

    /// <summary>string.GetHashCode is randomized per process; weights made for a missing file must be the same every run.</summary>
    static int StableSeed(string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));
}
