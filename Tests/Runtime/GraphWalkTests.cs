using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Converters.Onnx;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The graph walk that <c>Predict</c>, <c>Trace</c> and the ONNX writer share: a graph that reads a tensor no call
/// produces (a corrupt file's <c>keras_history</c>) fails in all three with the same typed error, naming the model,
/// the reading layer and the tensor.
/// </summary>
public sealed class GraphWalkTests
{
    /// <summary>x -> relu (Activation) -> output; a valid graph before it is corrupted.</summary>
    static ModelDescription Chain() => KerasConfigReader.Parse(new JsonObject
    {
        ["module"] = "keras", ["class_name"] = "Functional", ["keras_version"] = "3.15.1",
        ["config"] = new JsonObject
        {
            ["name"] = "chain",
            ["layers"] = new JsonArray
            {
                new JsonObject
                {
                    ["class_name"] = "InputLayer", ["name"] = "x", ["inbound_nodes"] = new JsonArray(),
                    ["config"] = new JsonObject { ["name"] = "x", ["batch_shape"] = new JsonArray(null, 3), ["dtype"] = "float32" },
                },
                new JsonObject
                {
                    ["class_name"] = "Activation", ["name"] = "relu",
                    ["config"] = new JsonObject { ["name"] = "relu", ["activation"] = "relu" },
                    ["inbound_nodes"] = new JsonArray(new JsonObject
                    {
                        ["args"] = new JsonArray(new JsonObject
                        {
                            ["class_name"] = "__keras_tensor__",
                            ["config"] = new JsonObject { ["shape"] = new JsonArray(null, 3), ["dtype"] = "float32", ["keras_history"] = new JsonArray("x", 0, 0) },
                        }),
                        ["kwargs"] = new JsonObject(),
                    }),
                },
            },
            ["input_layers"] = new JsonArray("x", 0, 0),
            ["output_layers"] = new JsonArray("relu", 0, 0),
        },
    }.ToJsonString(), "chain");

    /// <summary>The chain with its relu call reading output 1 of the input, which has one output.</summary>
    static ModelDescription LayerReadsMissingTensor()
    {
        var model = Chain();
        var relu = model.Layer("relu") with { InboundNodes = [new InboundNode([new TensorArgument(new TensorRef("x", 0, 1))], new Dictionary<string, NodeArgument>())] };
        return model with { Layers = model.Layers.Select(l => l.Name == "relu" ? relu : l).ToList() };
    }

    /// <summary>The chain with its model output naming output 1 of relu, which has one output.</summary>
    static ModelDescription OutputNamesMissingTensor() => Chain() with { Outputs = [new TensorRef("relu", 0, 1)] };

    public static TheoryData<string> Corruptions => ["layer", "output"];

    static ModelDescription Corrupted(string corruption) => corruption == "layer" ? LayerReadsMissingTensor() : OutputNamesMissingTensor();

    static void AssertNamesTheTensor(string corruption, TensorNeverProducedException error)
    {
        Assert.Equal("chain", error.Model);
        Assert.Equal(corruption == "layer" ? "relu" : null, error.Reader);
        Assert.Equal(corruption == "layer" ? new TensorRef("x", 0, 1) : new TensorRef("relu", 0, 1), error.Tensor);
        Assert.Contains(error.Tensor.ToString(), error.Message);
    }

    [Fact]
    public void TheUncorruptedChainRuns()
    {
        using var model = KerasModel.Create(Chain());
        Assert.Equal([0f, 2f, 0f], model.Predict(NdArray.Of([-1f, 2f, -3f], 1, 3))[0].ToFloats());
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void PredictNamesTheTensorNeverProduced(string corruption)
    {
        using var model = KerasModel.Create(Corrupted(corruption));
        AssertNamesTheTensor(corruption, Assert.Throws<TensorNeverProducedException>(() => model.Predict(NdArray.Of([1f, 2f, 3f], 1, 3))));
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void TraceNamesTheTensorNeverProduced(string corruption)
    {
        using var model = KerasModel.Create(Corrupted(corruption));
        AssertNamesTheTensor(corruption, Assert.Throws<TensorNeverProducedException>(() => model.Trace([NdArray.Of([1f, 2f, 3f], 1, 3)])));
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void OnnxExportNamesTheTensorNeverProduced(string corruption) =>
        AssertNamesTheTensor(corruption, Assert.Throws<TensorNeverProducedException>(() => OnnxModelWriter.ToBytes(Corrupted(corruption))));
}
