using static TorchSharp.torch;

namespace KerasPort.Tests.Api;

/// <summary>The application-facing API: loading, model information, every Predict overload, batching, devices, threads.</summary>
public sealed class PublicApiTests
{
    static string Golden(string name) => Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", name);
    static readonly string Embedding = Golden("embedding");
    static readonly string TwoInputs = Golden("dense_3d_nobias");

    static void AssertClose(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToDoubles(), actual.ToDoubles());
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 + 1e-4 * Math.Abs(e[i]), $"element {i}: {a[i]} vs {e[i]}");
    }

    static void AssertIdentical(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType, actual.DType);
        Assert.True(expected.ToDoubles().SequenceEqual(actual.ToDoubles()));
    }

    [Fact]
    public void LoadReadsEveryFormatFromPathsAndStreams()
    {
        var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz"));
        var models = new List<KerasModel>
        {
            KerasModel.Load(Path.Combine(Embedding, "model.keras")),
            KerasModel.Load(Path.Combine(Embedding, "model.h5")),
            KerasModel.Load(Path.Combine(Embedding, "model.json"), Path.Combine(Embedding, "model.weights.h5")),
            KerasModel.Load(Path.Combine(Embedding, "model.yaml"), Path.Combine(Embedding, "model.legacy-weights.h5")),
        };
        foreach (var file in new[] { "model.keras", "model.h5" })
        {
            using var stream = File.OpenRead(Path.Combine(Embedding, file));
            models.Add(KerasModel.Load(stream));
        }
        foreach (var model in models)
            using (model)
                AssertClose(io["final/0"], model.Predict(io["in/tokens"])[0]);
    }

    [Fact]
    public void LoadingGarbageFromAStreamIsAKerasPortError()
    {
        using var stream = new MemoryStream("not a model"u8.ToArray());
        Assert.Throws<ModelFileException>(() => KerasModel.Load(stream));
    }

    [Fact]
    public void InputsAndOutputsDescribeNamesShapesAndDTypes()
    {
        using var model = KerasModel.Load(Path.Combine(TwoInputs, "model.keras"));
        Assert.Equal(["x: (None, 5, 7) float32", "y: (None, 2, 3, 4) float32"], model.Inputs.Select(i => i.ToString()));
        Assert.Equal(model.OutputNames, model.Outputs.Select(o => o.Name));
        Assert.Equal([null, 5, 3], model.Outputs[0].Shape);
        Assert.Equal([null, 2, 3, 5], model.Outputs[1].Shape);
        Assert.All(model.Outputs, o => Assert.Equal("float32", o.DType));
        Assert.Equal(69, model.Summary().Params.Total);
    }

    [Fact]
    public void DictionaryInputsGiveNamedOutputs()
    {
        using var model = KerasModel.Load(Path.Combine(TwoInputs, "model.h5"));
        var io = NpzArchive.Read(Path.Combine(TwoInputs, "io.npz"));
        var outputs = model.Predict(new Dictionary<string, NdArray> { ["y"] = io["in/y"], ["x"] = io["in/x"] });
        Assert.Equal(model.OutputNames, outputs.Keys);
        Assert.Equal(2, outputs.Count);
        AssertClose(io["final/0"], outputs[0]);
        AssertClose(io["final/1"], outputs[model.OutputNames[1]]);
        Assert.Same(outputs[0], outputs[model.OutputNames[0]]);
        Assert.Same(outputs[0].Data, outputs[0].ToFloats());
    }

    [Fact]
    public void BadInputsGetClearArgumentErrors()
    {
        using var model = KerasModel.Load(Path.Combine(TwoInputs, "model.keras"));
        var io = NpzArchive.Read(Path.Combine(TwoInputs, "io.npz"));
        var missing = Assert.Throws<ModelInputException>(() => model.Predict(new Dictionary<string, NdArray> { ["x"] = io["in/x"] }));
        Assert.Contains("input 'y' (None, 2, 3, 4) is missing", missing.Message);
        var unknown = Assert.Throws<ModelInputException>(() => model.Predict(new Dictionary<string, NdArray> { ["x"] = io["in/x"], ["y"] = io["in/y"], ["z"] = io["in/y"] }));
        Assert.Contains("no input 'z'", unknown.Message);
        var shape = Assert.Throws<ModelInputException>(() => model.Predict(io["in/y"], io["in/x"]));
        Assert.Contains("input 'x' expects shape (None, 5, 7), got (2, 2, 3, 4)", shape.Message);
        var single = Assert.Throws<ModelInputException>(() => model.Predict(new float[70], 2, 5, 7));
        Assert.Contains("pass a dictionary", single.Message);
    }

    [Fact]
    public void ArraySpanAndTensorOverloadsAgree()
    {
        using var model = KerasModel.Load(Path.Combine(Embedding, "model.keras"));
        var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz"));
        var tokens = (int[])io["in/tokens"].Data;
        var expected = model.Predict(io["in/tokens"])[0];
        AssertIdentical(expected, model.Predict(tokens, 3, 7)[0]);
        var asFloats = Array.ConvertAll(tokens, t => (float)t);
        AssertIdentical(expected, model.Predict(asFloats, 3, 7)["dense"]);
        AssertIdentical(expected, model.Predict(new ReadOnlySpan<float>(asFloats), 3, 7)[0]);
        using var input = tensor(tokens, [3, 7]);
        var outputs = model.Predict(input);
        using var output = Assert.Single(outputs);
        AssertIdentical(expected, TensorConversions.ToNdArray(output));
        Assert.Equal([3L, 7L], input.shape);
    }

    [Fact]
    public void PredictBatchesStreamsSamplesInOrder()
    {
        using var model = KerasModel.Load(Path.Combine(TwoInputs, "model.keras"));
        var io = NpzArchive.Read(Path.Combine(TwoInputs, "io.npz"));
        var x = (float[])io["in/x"].Data;
        var y = (float[])io["in/y"].Data;
        // Five samples (the two golden rows, repeated) in batches of two: the last batch is short.
        var samples = Enumerable.Range(0, 5).Select(s => new[]
        {
            NdArray.Of(x.AsSpan((s % 2) * 35, 35).ToArray(), 5, 7),
            NdArray.Of(y.AsSpan((s % 2) * 24, 24).ToArray(), 2, 3, 4),
        });
        var results = model.PredictBatches(samples, batchSize: 2).ToList();
        Assert.Equal(5, results.Count);
        var expected = model.Predict(io["in/x"], io["in/y"]);
        for (int s = 0; s < 5; s++)
            for (int o = 0; o < 2; o++)
            {
                var row = expected[o];
                long length = row.Length / 2;
                AssertClose(new NdArray(row.DType, row.Shape[1..], ((float[])row.Data).AsSpan((int)((s % 2) * length), (int)length).ToArray()), results[s][o]);
            }
    }

    [Fact]
    public void GetLayerOutputsReturnsTheNamedLayers()
    {
        using var model = KerasModel.Load(Path.Combine(Embedding, "model.keras"));
        var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz"));
        var layers = model.GetLayerOutputs(new Dictionary<string, NdArray> { ["tokens"] = io["in/tokens"] }, "embedding", "flatten");
        Assert.Equal(["embedding", "flatten"], layers.Keys.Order());
        AssertClose(io["out/embedding/0"], layers["embedding"][0]);
        Assert.Throws<ArgumentException>(() => model.GetLayerOutputs(new Dictionary<string, NdArray> { ["tokens"] = io["in/tokens"] }, "nope"));
    }

    [SkippableFact]
    public void OptionsAndDevices()
    {
        var options = new KerasModelOptions { Threads = 2, Registry = LayerRegistry.CreateDefault() };
        using var model = KerasModel.Load(Path.Combine(Embedding, "model.keras"), options);
        var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz"));
        using var copy = model.To("cpu");
        AssertIdentical(model.Predict(io["in/tokens"])[0], copy.Predict(io["in/tokens"])[0]);
        Assert.Throws<ArgumentException>(() => KerasModelOptions.ResolveDevice("tpu"));
        Skip.If(cuda.is_available(), "CUDA is available here");
        var error = Assert.Throws<KerasPortException>(() => KerasModel.Load(Path.Combine(Embedding, "model.keras"), new KerasModelOptions { Device = "cuda" }));
        Assert.Contains("TorchSharp-cuda-linux", error.Message);
        Assert.Contains("libtorch-cuda", error.Message);
    }

    [Fact]
    public void InitializedWeightsTravelWithTo()
    {
        var options = new KerasModelOptions { InitializeMissingWeights = true };
        using var model = KerasModel.Load(Path.Combine(Embedding, "model.json"), options);
        using var copy = model.To("cpu");
        var tokens = NdArray.Of(new int[14], 2, 7);
        AssertIdentical(model.Predict(tokens)[0], copy.Predict(tokens)[0]);
    }

    [Fact]
    public void EightThreadsGiveBitIdenticalOutputs()
    {
        using var model = KerasModel.Load(Path.Combine(TwoInputs, "model.keras"));
        var io = NpzArchive.Read(Path.Combine(TwoInputs, "io.npz"));
        var inputs = new Dictionary<string, NdArray> { ["x"] = io["in/x"], ["y"] = io["in/y"] };
        var single = model.Predict(inputs);
        var results = new ModelOutputs[8 * 16];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int k = 0; k < 16; k++) results[t * 16 + k] = model.Predict(inputs);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var result in results)
            for (int o = 0; o < single.Count; o++)
                AssertIdentical(single[o], result[o]);
    }
}
