using KerasPort.Runtime.Graph;

namespace KerasPort.Runtime;

public sealed partial class KerasModel
{
    /// <summary>Runs the model on inputs in <c>model.inputs</c> order (Keras layout and dtype) and returns its outputs in <c>model.outputs</c> order.</summary>
    /// <exception cref="ModelInputException">The number of inputs, or an input's rank or fixed dimension, does not match <see cref="Inputs"/>.</exception>
    public NdArray[] Predict(params NdArray[] inputs)
    {
        CheckInputs(inputs.Select(i => i.Shape).ToList());
        CheckStrings(inputs);
        using var scope = NewDisposeScope();
        // Inference mode, not just no_grad: libtorch skips view and version tracking (about 8% of a small model's
        // pass, measured with kerasport bench). Only arrays leave this call, so no inference tensor escapes.
        using var inference = inference_mode();
        var tensors = inputs.Select(i => TensorConversions.ToTensor(i, Device)).ToList();
        var results = Infer(tensors);
        return results.Select(TensorConversions.ToNdArray).ToArray();
    }

    /// <summary>Runs the model on inputs keyed by input name (see <see cref="Inputs"/>) and returns outputs keyed by output name.</summary>
    /// <exception cref="ModelInputException">An input is missing, unknown, or of the wrong rank or size.</exception>
    public ModelOutputs Predict(IReadOnlyDictionary<string, NdArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Keys.FirstOrDefault(k => Inputs.All(i => i.Name != k)) is { } unknown)
            throw new ModelInputException($"model has no input '{unknown}'; inputs: {string.Join(", ", Inputs.Select(i => i.Name))}");
        return Named(Predict(Inputs.Select(i => inputs.TryGetValue(i.Name, out var value) ? value
            : throw new ModelInputException($"input '{i.Name}' {i.ShapeText} is missing")).ToArray()));
    }

    /// <summary>Runs a single-input model on float32 <paramref name="data"/> (row-major) of <paramref name="shape"/>, batch dimension first.</summary>
    /// <exception cref="ModelInputException">The model has several inputs, or the shape does not fit the input.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not match the length of <paramref name="data"/>.</exception>
    public ModelOutputs Predict(float[] data, params long[] shape) => PredictSingle(NdArray.Of(data, shape));

    /// <summary>Runs a single-input model on int32 <paramref name="data"/> (row-major, e.g. token ids) of <paramref name="shape"/>.</summary>
    /// <exception cref="ModelInputException">The model has several inputs, or the shape does not fit the input.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not match the length of <paramref name="data"/>.</exception>
    public ModelOutputs Predict(int[] data, params long[] shape) => PredictSingle(NdArray.Of(data, shape));

    /// <summary>
    /// Runs a single-input model that takes strings (a model starting with <c>TextVectorization</c>, <c>StringLookup</c>
    /// or <c>Hashing</c>) on <paramref name="data"/> (row-major) of <paramref name="shape"/>, e.g. <c>Predict(["good film"], 1, 1)</c>.
    /// </summary>
    /// <exception cref="ModelInputException">The model has several inputs, or the shape does not fit the input.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not match the length of <paramref name="data"/>, or an element is null.</exception>
    public ModelOutputs Predict(string[] data, params long[] shape) => PredictSingle(NdArray.Of(data, shape));

    /// <summary>Runs a single-input model on float32 <paramref name="data"/> (row-major) of <paramref name="shape"/>; the span is copied once.</summary>
    /// <exception cref="ModelInputException">The model has several inputs, or the shape does not fit the input.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not match the length of <paramref name="data"/>.</exception>
    public ModelOutputs Predict(ReadOnlySpan<float> data, params long[] shape) => PredictSingle(NdArray.Of(data.ToArray(), shape));

    /// <summary>
    /// Runs the model on TorchSharp tensors in <c>model.inputs</c> order (Keras layout; moved to <see cref="Device"/>
    /// and cast to the declared dtype as needed) and returns the output tensors on <see cref="Device"/>. The returned
    /// tensors belong to the caller (dispose them, or create them inside your own DisposeScope); the inputs are untouched.
    /// </summary>
    /// <exception cref="ModelInputException">The number of inputs, or an input's rank or fixed dimension, does not match <see cref="Inputs"/>.</exception>
    public Tensor[] Predict(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckInputs(inputs.Select(i => i.Sizes()).ToList());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var results = Infer(inputs.Select(i => i.to(Device)).ToList());
        // An alias is a new handle on the same storage, so an output that is an input tensor never shares its handle.
        return results.Select(r => r.alias().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Runs a single-input model on a TorchSharp tensor; see <see cref="Predict(IReadOnlyList{Tensor})"/>.</summary>
    /// <exception cref="ModelInputException">The model has several inputs, or the tensor's shape does not fit.</exception>
    public Tensor[] Predict(Tensor input) => Predict([input]);

    /// <summary>
    /// Streams <paramref name="samples"/> (one array per model input, each without the batch dimension) through the
    /// model <paramref name="batchSize"/> at a time, yielding one <see cref="ModelOutputs"/> per sample (again without
    /// the batch dimension), in order. Samples are read lazily, so the sequence may be unbounded.
    /// </summary>
    /// <exception cref="ModelInputException">Samples within a batch disagree in shape or dtype, or do not fit the inputs.</exception>
    public IEnumerable<ModelOutputs> PredictBatches(IEnumerable<NdArray[]> samples, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Batches(samples, batchSize);
    }

    /// <summary>Single-input form of <see cref="PredictBatches(IEnumerable{NdArray[]}, int)"/>: each sample is the one input without its batch dimension.</summary>
    public IEnumerable<ModelOutputs> PredictBatches(IEnumerable<NdArray> samples, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return PredictBatches(samples.Select(s => new[] { s }), batchSize);
    }

    IEnumerable<ModelOutputs> Batches(IEnumerable<NdArray[]> samples, int batchSize)
    {
        foreach (var chunk in samples.Chunk(batchSize))
        {
            var inputs = Enumerable.Range(0, Inputs.Count)
                .Select(i => SampleBatch.Stack(chunk.Select(sample => sample.Length == Inputs.Count ? sample[i]
                    : throw new ModelInputException($"a sample holds {sample.Length} arrays; the model takes {Inputs.Count} inputs")).ToList(), Inputs[i].Name))
                .ToArray();
            var results = Predict(inputs);
            for (int s = 0; s < chunk.Length; s++)
                yield return Named(results.Select(r => SampleBatch.Slice(r, s)).ToArray());
        }
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (keyed by input name) and returns the outputs of the layers named in
    /// <paramref name="layerNames"/> (their first call), keyed by layer name; with no names, every layer's outputs.
    /// </summary>
    /// <exception cref="ModelInputException">An input is missing or does not fit.</exception>
    /// <exception cref="ArgumentException">A named layer does not exist in the model.</exception>
    public IReadOnlyDictionary<string, NdArray[]> GetLayerOutputs(IReadOnlyDictionary<string, NdArray> inputs, params string[] layerNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (layerNames.FirstOrDefault(n => Description.Layers.All(l => l.Name != n)) is { } unknown)
            throw new ArgumentException($"model has no layer '{unknown}'", nameof(layerNames));
        var ordered = Inputs.Select(i => inputs.TryGetValue(i.Name, out var value) ? value
            : throw new ModelInputException($"input '{i.Name}' {i.ShapeText} is missing")).ToArray();
        CheckInputs(ordered.Select(i => i.Shape).ToList());
        var trace = Trace(ordered);
        var wanted = layerNames.Length > 0 ? layerNames : Description.Layers.Select(l => l.Name).ToArray();
        return wanted.Where(name => trace.Find(name) is not null)
            .ToDictionary(name => name, name => trace.Find(name)!.Outputs.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Runs the model and returns every layer call's outputs as well as the model outputs.</summary>
    public ModelTrace Trace(IReadOnlyList<NdArray> inputs)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var calls = new List<LayerCallOutput>();
        var results = Graph.Execute(inputs.Select(i => TensorConversions.ToTensor(i, Device)).ToList(), calls);
        return new ModelTrace(calls, results.Select(TensorConversions.ToNdArray).ToList());
    }

    /// <summary>How many CPU predictions so far ran on one intra-op thread, and how many on a team.</summary>
    internal (long SingleThread, long Team) ThreadChoices => threads.Calls;

    /// <summary>The inference plan on <paramref name="inputs"/>, on a CPU with the intra-op team size <see cref="IntraOpThreads"/> chooses.</summary>
    Tensor[] Infer(List<Tensor> inputs) =>
        Device.type == TorchSharp.DeviceType.CPU ? threads.Run(inputs.Sum(i => i.numel()), () => Graph.Infer(inputs)) : Graph.Infer(inputs);

    ModelOutputs PredictSingle(NdArray input)
    {
        if (Inputs.Count != 1)
            throw new ModelInputException($"model has {Inputs.Count} inputs ({string.Join(", ", Inputs)}); pass a dictionary keyed by input name");
        return Named(Predict(input));
    }

    ModelOutputs Named(NdArray[] values) => new(OutputNames, values);

    /// <summary>Strings go to the inputs declared <c>string</c> (text and lookup layers), and only there.</summary>
    void CheckStrings(IReadOnlyList<NdArray> inputs)
    {
        for (int i = 0; i < inputs.Count; i++)
            if ((Inputs[i].DType == "string") != (inputs[i].DType == DType.String))
                throw new ModelInputException(Inputs[i].DType == "string"
                    ? $"input '{Inputs[i].Name}' takes strings, got a {inputs[i].DType} array"
                    : $"input '{Inputs[i].Name}' takes {Inputs[i].DType} numbers, got strings");
    }

    /// <summary>Checks the input count, and each input's rank and fixed dimensions against its declared shape.</summary>
    void CheckInputs(IReadOnlyList<long[]> shapes)
    {
        if (shapes.Count != Inputs.Count)
            throw new ModelInputException($"model takes {Inputs.Count} input(s) ({string.Join(", ", Inputs)}), got {shapes.Count}");
        for (int i = 0; i < shapes.Count; i++)
        {
            if (Inputs[i].Shape is not { } declared) continue;
            var shape = shapes[i];
            bool fits = shape.Length == declared.Length && declared.Zip(shape).All(p => p.First is null || p.First == p.Second);
            if (!fits)
                throw new ModelInputException($"input '{Inputs[i].Name}' expects shape {Inputs[i].ShapeText}, got ({string.Join(", ", shape)})");
        }
    }
}
