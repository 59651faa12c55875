using System.Text.Json.Nodes;
using KerasPort.Runtime.Graph;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Training;

/// <summary>Layers whose training-mode behaviour differs from inference: dropout and noise, BatchNormalization, activity regularization.</summary>
public sealed class TrainingLayerTests
{
    static KerasLayer Build(string className, JsonObject config, IReadOnlyList<WeightArray>? weights = null, WeightBindings? bindings = null)
    {
        var registry = LayerRegistry.CreateDefault();
        config["name"] = className.ToLowerInvariant();
        var description = new LayerDescription { Name = className.ToLowerInvariant(), ClassName = className, Config = config, Weights = weights ?? [] };
        return registry.Create(new LayerContext(description, KerasGeneration.Keras3, CPU, registry) { Bindings = bindings });
    }

    static JsonObject Config(string json) => (JsonObject)JsonNode.Parse(json)!;

    static Tensor Call(KerasLayer layer, Tensor x, bool training) => layer.Call(new CallArguments([x], new Dictionary<string, object?>()) { Training = training })[0];

    [Fact]
    public void DropoutZeroesAboutRateAndScalesTheRestOnlyInTraining()
    {
        using var scope = NewDisposeScope();
        using var layer = Build("Dropout", new JsonObject { ["rate"] = 0.25 });
        var x = rand(200, 50) + 1;
        Assert.True(Call(layer, x, training: false).eq(x).all().item<bool>());
        var y = Call(layer, x, training: true);
        var kept = y != 0;
        double droppedFraction = 1 - kept.to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(droppedFraction, 0.2, 0.3);
        Assert.True((y.masked_select(kept) - (x / 0.75).masked_select(kept)).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void SpatialDropoutDropsWholeChannels()
    {
        using var scope = NewDisposeScope();
        using var layer = Build("SpatialDropout1D", new JsonObject { ["rate"] = 0.5 });
        var y = Call(layer, rand(64, 10, 8) + 1, training: true);
        var zeroSteps = (y == 0).to_type(ScalarType.Int32).sum(1);
        Assert.True(((zeroSteps == 0) | (zeroSteps == 10)).all().item<bool>(), "a channel is either kept or dropped at every time step");
        Assert.True((zeroSteps == 10).any().item<bool>() && (zeroSteps == 0).any().item<bool>());
    }

    [Theory]
    [InlineData("GaussianNoise", "stddev", 0.2)]
    [InlineData("GaussianDropout", "rate", 0.3)]
    [InlineData("AlphaDropout", "rate", 0.2)]
    public void NoiseLayersActOnlyInTraining(string className, string key, double value)
    {
        using var scope = NewDisposeScope();
        using var layer = Build(className, new JsonObject { [key] = value });
        var x = randn(100, 100);
        Assert.True(Call(layer, x, training: false).eq(x).all().item<bool>());
        Assert.False(Call(layer, x, training: true).eq(x).all().item<bool>());
        if (className == "GaussianNoise")
            Assert.InRange((Call(layer, x, training: true) - x).std().item<float>(), 0.19, 0.21);
    }

    [Fact]
    public void BatchNormalizationTrainsOnBatchStatisticsAndUpdatesMovingOnes()
    {
        using var scope = NewDisposeScope();
        var weights = new[] { "gamma", "beta", "moving_mean", "moving_variance" }
            .Select((name, i) => new WeightArray(name, NdArray.Of(new[] { 1.5f, 0.5f, 0.2f, 1.0f }.Select(v => v + i).ToArray(), 4))).ToList();
        var bindings = new WeightBindings();
        var bound = weights.Select(w => TensorConversions.ToTensor(w.Value, CPU)).ToList();
        for (int i = 0; i < 4; i++) bindings.Bind(weights[i].Value, bound[i]);
        var movingMean = bound[2].clone();
        var movingVariance = bound[3].clone();
        using var layer = Build("BatchNormalization", new JsonObject { ["momentum"] = 0.9, ["epsilon"] = 0.001 }, weights, bindings);
        var x = randn(16, 3, 4) * 2 + 1;
        var y = Call(layer, x, training: true);
        var mean = x.mean([0L, 1L]);
        var variance = x.square().mean([0L, 1L]) - mean.square();
        var expected = (x - mean) * ((variance + 0.001).rsqrt() * bound[0]) + bound[1];
        Assert.True((y - expected).abs().max().item<float>() < 1e-5);
        Assert.True((bound[2] - (movingMean * 0.9 + mean * 0.1)).abs().max().item<float>() < 1e-6);
        Assert.True((bound[3] - (movingVariance * 0.9 + variance * 0.1)).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void FrozenBatchNormalizationStaysInInferenceModeWhenTraining()
    {
        using var scope = NewDisposeScope();
        var weights = new[] { "gamma", "beta", "moving_mean", "moving_variance" }
            .Select((name, i) => new WeightArray(name, NdArray.Of([1f + i, 2f, 3f], 3))).ToList();
        var bindings = new WeightBindings();
        var bound = weights.Select(w => TensorConversions.ToTensor(w.Value, CPU)).ToList();
        for (int i = 0; i < 4; i++) bindings.Bind(weights[i].Value, bound[i]);
        using var layer = Build("BatchNormalization", new JsonObject { ["trainable"] = false }, weights, bindings);
        var x = randn(8, 3);
        Assert.True(Call(layer, x, training: true).eq(Call(layer, x, training: false)).all().item<bool>());
        Assert.Equal([3f, 2f, 3f], bound[2].data<float>().ToArray());
    }

    [Fact]
    public void ActivityRegularizationAddsItsPenaltyPerSampleToTheTrainingLosses()
    {
        using var scope = NewDisposeScope();
        var input = new LayerDescription { Name = "in", ClassName = "InputLayer", Config = Config("""{"batch_shape": [null, 3]}""") };
        var regularizer = new LayerDescription
        {
            Name = "reg", ClassName = "ActivityRegularization", Config = new JsonObject { ["l1"] = 0.01, ["l2"] = 0.5 },
            InboundNodes = [new InboundNode([new TensorArgument(new TensorRef("in", 0, 0))], new Dictionary<string, NodeArgument>())],
        };
        var description = new ModelDescription { Name = "m", ClassName = "Functional", Layers = [input, regularizer], Inputs = [new TensorRef("in", 0, 0)], Outputs = [new TensorRef("reg", 0, 0)] };
        using var graph = new ModelGraph(description, LayerRegistry.CreateDefault(), CPU);
        var x = tensor(new[] { 1f, -2f, 3f, 0.5f, 0f, -1f }, [2, 3]);
        var losses = new List<Tensor>();
        var y = graph.Execute([x], null, true, losses)[0];
        Assert.True(y.eq(x).all().item<bool>());
        var expected = (0.01f * x.abs().sum().item<float>() + 0.5f * x.square().sum().item<float>()) / 2;
        Assert.Equal(expected, Assert.Single(losses).item<float>(), 5);
    }

    [Fact]
    public void RecurrentDropoutInTrainingIsRefusedClearly()
    {
        using var scope = NewDisposeScope();
        using var layer = Build("LSTM", Config("""{"units": 2, "dropout": 0.1}"""),
            [new("kernel", NdArray.Of(new float[3 * 8], 3, 8)), new("recurrent_kernel", NdArray.Of(new float[2 * 8], 2, 8)), new("bias", NdArray.Of(new float[8], 8))]);
        var error = Assert.Throws<UnsupportedLayerException>(() => Call(layer, zeros(1, 4, 3), training: true));
        Assert.Contains("dropout", error.Message);
        Assert.Equal([1L, 2L], Call(layer, zeros(1, 4, 3), training: false).shape);
    }
}
