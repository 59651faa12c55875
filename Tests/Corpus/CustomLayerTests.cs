using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Corpus;

/// <summary>Real files with custom classes and Lambda layers load once the user supplies C# implementations.</summary>
public sealed class CustomLayerTests
{
    static string PathOf(string file) => SharedData.CorpusPath(file);

    /// <summary>DEC's ClusteringLayer: Student's t similarity of each sample to <c>output_dim</c> cluster centres.</summary>
    sealed class ClusteringLayer : KerasLayer
    {
        readonly Tensor clusters;

        public ClusteringLayer(LayerContext context) : base(context) =>
            clusters = Own(context.Weight(0, "clusters", context.Int("output_dim", -1), context.InputDim(-1)));

        public override Tensor[] Call(CallArguments arguments)
        {
            var distances = (arguments.Input.unsqueeze(1) - clusters).square().sum(-1);
            var q = 1.0 / (1.0 + distances);
            return [q / q.sum(-1, keepdim: true)];
        }
    }

    /// <summary>The carnd Lambda is <c>x / 127.5 - 1</c>; a C# replacement is registered for that layer name.</summary>
    sealed class Normalize(LayerContext context) : KerasLayer(context)
    {
        public override Tensor[] Call(CallArguments arguments) => [arguments.Input / 127.5 - 1.0];
    }

    [SkippableFact]
    public void UnregisteredCustomClassSaysHowToRegister()
    {
        var model = KerasModelReader.Load(PathOf("dec_clusteringlayer_custom_k206.json"));
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(model, initializeMissingWeights: true));
        Assert.Equal("ClusteringLayer", error.ClassName);
        Assert.Contains("LayerRegistry.Register(\"ClusteringLayer\"", error.Message);
    }

    [SkippableFact]
    public void RegisteredCustomClassBuildsAndRuns()
    {
        var model = KerasModelReader.Load(PathOf("dec_clusteringlayer_custom_k206.json"));
        var registry = LayerRegistry.CreateDefault().Register("ClusteringLayer", c => new ClusteringLayer(c));
        using var runtime = KerasModel.Create(model, registry, initializeMissingWeights: true);
        var input = NdArray.Of(Enumerable.Range(0, 2 * 39).Select(i => (float)Math.Sin(i)).ToArray(), 2, 39);
        var q = runtime.Predict(input)[0];
        Assert.Equal([2L, 100], q.Shape);
        Assert.All(q.ToDoubles().Chunk(100), row => Assert.Equal(1.0, row.Sum(), 5));
    }

    [SkippableFact]
    public void LambdaIsRefusedUntilAReplacementIsRegisteredForItsName()
    {
        var model = KerasModelReader.Load(PathOf("carnd_tiny_k120_arch.json"), PathOf("carnd_tiny_k120_weights.h5"));
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(model));
        Assert.Equal("lambda_5", error.LayerName);
        Assert.Contains("RegisterForLayer(\"lambda_5\"", error.Message);

        var registry = LayerRegistry.CreateDefault().RegisterForLayer("lambda_5", c => new Normalize(c));
        using var runtime = KerasModel.Create(model, registry);
        var image = NdArray.Of(Enumerable.Range(0, 16 * 32).Select(i => (float)(i % 256)).ToArray(), 1, 16, 32, 1);
        var output = runtime.Predict(image)[0];
        Assert.All(output.ToDoubles(), v => Assert.True(double.IsFinite(v)));
        // The replacement really runs: its output is the input scaled into [-1, 1].
        Assert.All(runtime.Trace([image]).Find("lambda_5")!.Outputs[0].ToDoubles(), v => Assert.InRange(v, -1.0, 1.0));
    }
}
