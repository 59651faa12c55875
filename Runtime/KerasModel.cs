using KerasPort.Runtime.Graph;

namespace KerasPort.Runtime;

/// <summary>
/// A Keras model ready to run on TorchSharp. Load one with <see cref="Load(string, KerasModelOptions?)"/>, run it with
/// one of the <c>Predict</c> overloads, and dispose it to release its weights.
/// </summary>
/// <remarks>
/// Thread safety: one loaded model may be used from any number of threads at once. Layers are immutable after
/// loading; every <c>Predict</c>, <see cref="PredictBatches(IEnumerable{NdArray[]}, int)"/>, <see cref="GetLayerOutputs"/>
/// and <see cref="Trace"/> call owns its TorchSharp temporaries in its own DisposeScope and returns plain arrays
/// (or, for the tensor overload, tensors that belong to the caller). Only <see cref="Dispose"/> must not race with
/// other calls. Training changes the weights: <c>Fit</c>, <c>Evaluate</c>, <c>SetWeights</c> and <c>Compile</c> replace
/// <see cref="Graph"/> with layers built from the new weights, so they must not run concurrently with any other call
/// on the same model (predict from another model loaded from the saved file instead).
/// </remarks>
public sealed partial class KerasModel : IDisposable
{
    readonly LayerRegistry registry;
    readonly Lazy<IReadOnlyList<ModelTensorInfo>> outputs;
    readonly IntraOpThreads threads;

    KerasModel(ModelGraph graph, Device device, LayerRegistry registry, int? fixedThreads)
    {
        Graph = graph;
        Device = device;
        this.registry = registry;
        threads = new IntraOpThreads(fixedThreads);
        Inputs = graph.InputLayers.Select((layer, i) => new ModelTensorInfo(
            graph.Description.Inputs[i].Layer,
            layer.BatchShape?.Select(d => d > 0 ? d : (int?)null).ToArray(),
            layer.DTypeName)).ToList();
        OutputNames = OutputNamesOf(graph.Description);
        outputs = new Lazy<IReadOnlyList<ModelTensorInfo>>(MeasureOutputs);
    }

    /// <summary>
    /// Loads a Keras model file of any supported format (Keras 3 <c>.keras</c> or its unzipped folder, full-model HDF5
    /// of Keras 1/2, tf.keras or Keras 3, a TensorFlow SavedModel folder, a JSON/YAML architecture), detected by content. A JSON/YAML architecture loads without
    /// weights; use <see cref="Load(string, string, KerasModelOptions?)"/> to attach them.
    /// </summary>
    /// <exception cref="KerasPortException">The file is missing or unreadable, a layer is unsupported, or a weight does not fit.</exception>
    public static KerasModel Load(string path, KerasModelOptions? options = null) =>
        Create(KerasModelReader.Load(path), options);

    /// <summary>
    /// Loads a JSON/YAML architecture with its weights: an HDF5 file (legacy or Keras 3 layout), or the index
    /// <c>*.weights.json</c> of sharded Keras 3 weights with its shards beside it.
    /// </summary>
    /// <exception cref="KerasPortException">A file is missing or unreadable, a layer is unsupported, or a weight does not fit.</exception>
    public static KerasModel Load(string architecturePath, string weightsPath, KerasModelOptions? options = null) =>
        Create(KerasModelReader.Load(architecturePath, weightsPath), options);

    /// <summary>
    /// Loads a model from <paramref name="stream"/> (any format <see cref="Load(string, KerasModelOptions?)"/> reads). The
    /// stream is read to its end, through a temporary file that is deleted before this returns; it is not closed.
    /// </summary>
    /// <exception cref="KerasPortException">The content is not a readable Keras model, or the model cannot be built.</exception>
    public static KerasModel Load(Stream stream, KerasModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var path = Path.Combine(Path.GetTempPath(), $"kerasport-{Guid.NewGuid():N}.model");
        try
        {
            using (var file = File.Create(path)) stream.CopyTo(file);
            return Load(path, options);
        }
        finally { File.Delete(path); }
    }

    /// <summary>Builds a model from an already read <paramref name="description"/> with <paramref name="options"/> (defaults if null).</summary>
    /// <exception cref="KerasPortException">A layer is unsupported, a weight does not fit, or the device is unavailable.</exception>
    public static KerasModel Create(ModelDescription description, KerasModelOptions? options)
    {
        options ??= new KerasModelOptions();
        if (options.Threads is { } threads)
        {
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Threads must be at least 1, got {threads}");
            set_num_threads(threads);
        }
        return Build(description, options.Registry, KerasModelOptions.ResolveDevice(options.Device), options.InitializeMissingWeights, options.RetainNativeMemory, options.Threads);
    }

    /// <summary>
    /// Builds the model on <paramref name="device"/> (CPU by default) with <paramref name="registry"/> (built-in layers by
    /// default). With <paramref name="initializeMissingWeights"/>, weights the description lacks are created with
    /// Keras-like initial values (for architecture-only files); otherwise a missing weight is an error. Native memory is
    /// retained as with the default <see cref="KerasModelOptions.RetainNativeMemory"/>.
    /// </summary>
    public static KerasModel Create(ModelDescription description, LayerRegistry? registry = null, Device? device = null, bool initializeMissingWeights = false) =>
        Build(description, registry, device, initializeMissingWeights, retainNativeMemory: true, threads: null);

    static KerasModel Build(ModelDescription description, LayerRegistry? registry, Device? device, bool initializeMissingWeights, bool retainNativeMemory, int? threads)
    {
        if (retainNativeMemory) NativeAllocator.RetainFreedMemory();
        var target = device ?? CPU;
        var layers = registry ?? LayerRegistry.CreateDefault();
        return new KerasModel(new ModelGraph(description, layers, target, initializeMissingWeights), target, layers, threads);
    }

    /// <summary>True if no layer of <paramref name="description"/> (or of its nested models) carries weights: an architecture-only file.</summary>
    public static bool IsArchitectureOnly(ModelDescription description) =>
        description.Layers.All(l => l.Weights.Count == 0 && (l.Nested is null || IsArchitectureOnly(l.Nested)));

    /// <summary>
    /// The names outputs go by: dict outputs keep their keys; otherwise the producing layer's name, suffixed
    /// <c>_i</c> when one layer yields several model outputs.
    /// </summary>
    public static IReadOnlyList<string> OutputNamesOf(ModelDescription description) => description.OutputKeys();

    /// <summary>The runnable graph (replaced by one built from the new weights when <c>Fit</c> updates them).</summary>
    public ModelGraph Graph { get; private set; }

    /// <summary>The model description.</summary>
    public ModelDescription Description => Graph.Description;

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>The model inputs in <c>model.inputs</c> order: names, declared shapes (null = any size) and dtypes.</summary>
    public IReadOnlyList<ModelTensorInfo> Inputs { get; }

    /// <summary>The output names in <c>model.outputs</c> order (the keys of <see cref="ModelOutputs"/>).</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>
    /// The model outputs in order: names, shapes (null = depends on the input: batch, free lengths) and dtypes.
    /// Shapes are measured once, on first access, by two small forward passes on dummy inputs.
    /// </summary>
    public IReadOnlyList<ModelTensorInfo> Outputs => outputs.Value;

    /// <summary>What Keras's <c>model.summary()</c> shows: layers, output shapes and parameter counts.</summary>
    public ModelSummary Summary() => ModelSummary.Build(this);

    /// <summary>
    /// The same model on <paramref name="device"/> (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), as a new model with its
    /// own copy of the weights (including any initialized ones). This model stays usable; dispose both.
    /// </summary>
    /// <exception cref="KerasPortException">The device is unavailable (see <see cref="KerasModelOptions.ResolveDevice"/>).</exception>
    public KerasModel To(string device) => To(KerasModelOptions.ResolveDevice(device));

    /// <summary>The same model on <paramref name="device"/>, as a new model with its own copy of the weights.</summary>
    public KerasModel To(Device device) => Build(WithBuiltWeights(Graph), registry, device, initializeMissingWeights: false, retainNativeMemory: true, threads.Fixed);

    /// <summary>
    /// The description with every layer's weights as built: for an architecture-only file, the weights
    /// <see cref="KerasModelOptions.InitializeMissingWeights"/> created, so that writers (e.g. the ONNX export) get a
    /// complete model.
    /// </summary>
    public ModelDescription BuiltDescription => WithBuiltWeights(Graph);

    /// <summary>The description of <paramref name="graph"/> with every layer's weights as built (initialized ones included).</summary>
    static ModelDescription WithBuiltWeights(ModelGraph graph) => graph.Description with
    {
        Layers = graph.Description.Layers.Select(layer => graph.Layers[layer.Name] is NestedModel nested
            ? layer with { Nested = WithBuiltWeights(nested.Graph) }
            : layer with { Weights = graph.Layers[layer.Name].Weights }).ToList(),
    };

    IReadOnlyList<ModelTensorInfo> MeasureOutputs()
    {
        NdArray[] first, second;
        try
        {
            first = Predict(ModelSummary.DummyInputs(this, batch: 2, free: 32));
            second = Predict(ModelSummary.DummyInputs(this, batch: 3, free: 40));
        }
        catch (KerasPortException)
        {
            // Some models accept only particular input sizes; their output shapes stay unknown rather than failing.
            return OutputNames.Select(name => new ModelTensorInfo(name, null, "unknown")).ToList();
        }
        return OutputNames.Select((name, i) => new ModelTensorInfo(name,
            first[i].Shape.Zip(second[i].Shape, (p, q) => p == q ? (int?)p : null).ToArray(),
            DTypeName(first[i].DType))).ToList();
    }

    /// <summary>Keras's name for <paramref name="dtype"/>, e.g. <c>float32</c>.</summary>
    static string DTypeName(DType dtype) => dtype.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public void Dispose()
    {
        trainer?.Dispose();
        trainer = null;
        Graph.Dispose();
    }
}
