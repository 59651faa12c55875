using System.Text.Json.Nodes;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>The runtime's public behaviour: user layers, concurrency, traces and summaries.</summary>
public sealed class KerasModelTests
{
    static readonly string EmbeddingCase = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");

    /// <summary>A user layer: the registry is the one place that maps class names to code.</summary>
    sealed class Doubling(LayerContext context) : KerasLayer(context)
    {
        public override Tensor[] Call(CallArguments arguments) => [arguments.Input * 2];
    }

    [Fact]
    public void UserLayersPlugIntoTheRegistry()
    {
        var json = File.ReadAllText(Path.Combine(EmbeddingCase, "model.json")).Replace("\"Flatten\"", "\"MyFlatten\"");
        var path = Path.GetTempFileName();
        File.WriteAllText(path, json);
        try
        {
            var description = KerasModelReader.Load(path, Path.Combine(EmbeddingCase, "model.weights.h5"));
            var registry = LayerRegistry.CreateDefault().Register("MyFlatten", c => new WrappedFlatten(c));
            using var model = KerasModel.Create(description, registry);
            var io = NpzArchive.Read(Path.Combine(EmbeddingCase, "io.npz"));
            var output = model.Predict(io["in/tokens"]);
            // MyFlatten is Flatten followed by doubling, so the linear head sees twice the features.
            var golden = KerasModel.Create(KerasModelReader.Load(Path.Combine(EmbeddingCase, "model.keras")));
            var trace = golden.Trace([io["in/tokens"]]);
            var flat = trace.Find("flatten")!.Outputs[0].ToFloats();
            Assert.Equal(flat.Select(v => v * 2), model.Trace([io["in/tokens"]]).Find("flatten")!.Outputs[0].ToFloats());
            Assert.Equal(io["final/0"].Shape, output[0].Shape);
        }
        finally { File.Delete(path); }
    }

    sealed class WrappedFlatten(LayerContext context) : KerasLayer(context)
    {
        public override Tensor[] Call(CallArguments arguments) => [arguments.Input.reshape(arguments.Input.shape[0], -1) * 2];
    }

    [Fact]
    public void ConcurrentPredictionsAgreeWithKeras()
    {
        using var model = KerasModel.Create(KerasModelReader.Load(Path.Combine(EmbeddingCase, "model.h5")));
        var io = NpzArchive.Read(Path.Combine(EmbeddingCase, "io.npz"));
        var tolerance = GoldenCase.Load(EmbeddingCase).Tolerance;
        var results = new NdArray[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = model.Predict(io["in/tokens"])[0]);
        foreach (var result in results)
            Assert.True(ParityRunner.Compare("final/0", result, io["final/0"], tolerance).Passed);
    }

    [Fact]
    public void TraceHasEveryLayerOutput()
    {
        using var model = KerasModel.Create(KerasModelReader.Load(Path.Combine(EmbeddingCase, "model.keras")));
        var io = NpzArchive.Read(Path.Combine(EmbeddingCase, "io.npz"));
        var trace = model.Trace([io["in/tokens"]]);
        Assert.Equal(["tokens", "embedding", "flatten", "dense"], trace.Calls.Select(c => c.Layer));
        Assert.Equal(io["out/embedding/0"].Shape, trace.Find("embedding")!.Outputs[0].Shape);
    }

    [Fact]
    public void SummaryMatchesKerasParameterCountsAndShapes()
    {
        var goldenCase = GoldenCase.Load(EmbeddingCase);
        using var model = KerasModel.Create(KerasModelReader.Load(goldenCase.PathOf("model.keras")));
        var summary = ModelSummary.Build(model);
        Assert.Equal(goldenCase.Params, summary.Params);
        foreach (var layer in goldenCase.Layers)
            Assert.Equal(layer.Params, summary.Rows.Single(r => r.Name == layer.Name).Params);
        Assert.Equal([null, 7, 4], summary.Rows.Single(r => r.Name == "embedding").OutputShapes[0]);
    }

    [Fact]
    public void NonTrainableWeightsAreCountedAsKerasDoes()
    {
        var goldenCase = GoldenCase.Load(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "normalization_fixed_invert"));
        using var model = KerasModel.Create(KerasModelReader.Load(goldenCase.PathOf("model.keras")));
        Assert.Equal(goldenCase.Params, ParamCounter.Count(model));
        Assert.True(goldenCase.Params!.NonTrainable > 0);
    }

    [Fact]
    public void WrongNumberOfInputsIsATypedError()
    {
        using var model = KerasModel.Create(KerasModelReader.Load(Path.Combine(EmbeddingCase, "model.keras")));
        Assert.Throws<ModelInputException>(() => model.Predict());
    }

    [Fact]
    public void LayerConfigErrorsNameTheLayer()
    {
        var description = KerasModelReader.Load(Path.Combine(EmbeddingCase, "model.keras"));
        var broken = description with
        {
            Layers = description.Layers.Select(l => l.ClassName == "Dense" ? l with { Config = new JsonObject { ["units"] = "many" } } : l).ToList(),
        };
        var error = Assert.Throws<LayerConfigException>(() => KerasModel.Create(broken));
        Assert.Equal(("dense", "units"), (error.LayerName, error.Key));
        Assert.Contains("dense", error.Message);
    }
}
