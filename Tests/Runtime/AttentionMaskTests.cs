using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// Masks in the attention layers, which no golden case exercises: written as call keywords (Keras 3) or propagated
/// from upstream layers (tf.keras), and tf.keras's tensor-valued keyword arguments.
/// </summary>
public sealed class AttentionMaskTests
{
    static readonly string MhaSelfCase = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "attention", "mha_self");

    static KerasLayer CreateLayer(string className, JsonObject config, IReadOnlyList<WeightArray>? weights = null) =>
        LayerRegistry.CreateDefault().Create(new LayerContext(
            new LayerDescription { Name = "layer", ClassName = className, Config = config, Weights = weights ?? [] },
            KerasGeneration.Keras3, CPU, LayerRegistry.CreateDefault()));

    static Tensor Floats(float[] values, params long[] shape) => tensor(values, shape);

    static Tensor Bools(bool[] values, params long[] shape) => tensor(values, shape);

    [Fact]
    public void AttentionMaskListMatchesKerasTest()
    {
        // keras/src/layers/attention/attention_test.py test_attention_with_mask.
        using var scope = NewDisposeScope();
        using var layer = CreateLayer("Attention", []);
        var query = Floats([1, 0, 0, 1], 1, 2, 2);
        var value = Floats([1, 1, 1, 1], 1, 2, 2);
        var mask = Bools([true, false], 1, 2);
        var outputs = layer.Call(new CallArguments([new List<object?> { query, value }],
            new Dictionary<string, object?> { ["mask"] = new List<object?> { mask, mask }, ["return_attention_scores"] = JsonValue.Create(true) }));
        Assert.Equal([1f, 1f, 0f, 0f], outputs[0].data<float>().ToArray());
        Assert.Equal([1f, 0f, 1f, 0f], outputs[1].data<float>().ToArray());
    }

    [Fact]
    public void AttentionValueMaskAppliesPerBatchRow()
    {
        // batch 2, Tq 3, Tv 4: the [batch, Tv] value mask broadcasts as [batch, 1, Tv] (keras-team/keras#21595).
        using var scope = NewDisposeScope();
        using var layer = CreateLayer("AdditiveAttention", new JsonObject { ["use_scale"] = false });
        var query = randn(2, 3, 5);
        var value = randn(2, 4, 5);
        var valueMask = Bools([true, true, false, false, true, false, true, true], 2, 4);
        var outputs = layer.Call(new CallArguments([new List<object?> { query, value }],
            new Dictionary<string, object?> { ["mask"] = new List<object?> { null, valueMask }, ["return_attention_scores"] = JsonValue.Create(true) }));
        var weights = outputs[1];
        Assert.Equal(0f, weights.masked_select(valueMask.logical_not().unsqueeze(1).expand(2, 3, 4)).abs().max().item<float>());
        Assert.True(weights.sum(-1).sub(1).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void MultiHeadValueMaskEqualsExplicitAttentionMask()
    {
        using var scope = NewDisposeScope();
        var golden = KerasModelReader.Load(Path.Combine(MhaSelfCase, "model.keras")).Layer("mha_self");
        using var layer = CreateLayer("MultiHeadAttention", golden.Config, golden.Weights);
        var x = TensorConversions.ToTensor(NpzArchive.Read(Path.Combine(MhaSelfCase, "io.npz"))["in/x"], CPU);
        var valueMask = ones(x.shape[0], x.shape[1], ScalarType.Bool);
        valueMask[0, 3] = false;
        valueMask[1, 0] = false;
        var byValueMask = layer.Call(new CallArguments([x, x], new Dictionary<string, object?> { ["value_mask"] = valueMask }))[0];
        var attentionMask = valueMask.unsqueeze(1).expand(x.shape[0], x.shape[1], x.shape[1]);
        var byAttentionMask = layer.Call(new CallArguments([x, x], new Dictionary<string, object?> { ["attention_mask"] = attentionMask }))[0];
        var unmasked = layer.Call(new CallArguments([x, x], new Dictionary<string, object?>()))[0];
        Assert.True(byValueMask.allclose(byAttentionMask));
        Assert.False(byValueMask.allclose(unmasked, 1e-3, 1e-3));
    }

    [Fact]
    public void TfKerasMultiHeadAttentionReadsKeywordTensorsAndPropagatedMasks()
    {
        using var scope = NewDisposeScope();
        var golden = KerasModelReader.Load(Path.Combine(MhaSelfCase, "model.keras")).Layer("mha_self");
        var config = golden.Config.DeepClone().ToJsonString();
        // A tf.keras 2 graph: Masking -> MultiHeadAttention(query, value=...), the value passed by keyword as a
        // [layer, node, tensor] list, the masks attached to the tensors rather than written in the call.
        var json = $$$"""
        {"class_name": "Functional", "keras_version": "2.15.0", "backend": "tensorflow", "config": {"name": "m", "layers": [
          {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 6], "dtype": "float32", "name": "x"}, "inbound_nodes": []},
          {"name": "masked", "class_name": "Masking", "config": {"name": "masked", "mask_value": 0.0}, "inbound_nodes": [[["x", 0, 0, {}]]]},
          {"name": "mha_self", "class_name": "MultiHeadAttention", "config": {{{config}}},
           "inbound_nodes": [[["masked", 0, 0, {"value": ["masked", 0, 0]}]]]}],
          "input_layers": [["x", 0, 0]], "output_layers": [["mha_self", 0, 0]]}}
        """;
        var description = KerasConfigReader.Parse(json, "tfkeras.json");
        var node = description.Layer("mha_self").InboundNodes[0];
        Assert.Equal(new TensorRef("masked", 0, 0), Assert.IsType<TensorArgument>(node.Kwargs["value"]).Tensor);
        description = description with
        {
            Layers = description.Layers.Select(l => l.Name == "mha_self" ? l with { Weights = golden.Weights } : l).ToList(),
        };
        using var model = KerasModel.Create(description);
        var io = NpzArchive.Read(Path.Combine(MhaSelfCase, "io.npz"));

        // Nothing masked: the golden output.
        var plain = TensorConversions.ToTensor(model.Predict(io["in/x"])[0], CPU);
        Assert.True(plain.allclose(TensorConversions.ToTensor(io["out/mha_self/0"], CPU), 1e-4, 1e-5));

        // Timestep 2 of sample 0 masked: query and value masks combine into [B, T, S].
        var x = TensorConversions.ToTensor(io["in/x"], CPU).clone();
        x[0, 2] = zeros(6);
        var masked = TensorConversions.ToTensor(model.Predict(TensorConversions.ToNdArray(x))[0], CPU);
        var keep = x.ne(0).any(-1);
        var attentionMask = keep.unsqueeze(-1).logical_and(keep.unsqueeze(-2));
        using var layer = CreateLayer("MultiHeadAttention", golden.Config, golden.Weights);
        var expected = layer.Call(new CallArguments([x, x], new Dictionary<string, object?> { ["attention_mask"] = attentionMask }))[0];
        var unmasked = layer.Call(new CallArguments([x, x], new Dictionary<string, object?>()))[0];
        Assert.True(masked.allclose(expected));
        Assert.False(masked.allclose(unmasked, 1e-3, 1e-3));
    }

    [Fact]
    public void TfKerasAttentionTakesTheMasksOfItsInputList()
    {
        using var scope = NewDisposeScope();
        const string json = """
        {"class_name": "Functional", "keras_version": "2.11.0", "backend": "tensorflow", "config": {"name": "m", "layers": [
          {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 3], "dtype": "float32", "name": "x"}, "inbound_nodes": []},
          {"name": "masked", "class_name": "Masking", "config": {"name": "masked", "mask_value": 0.0}, "inbound_nodes": [[["x", 0, 0, {}]]]},
          {"name": "att", "class_name": "Attention", "config": {"name": "att", "use_scale": false, "score_mode": "dot"},
           "inbound_nodes": [[["masked", 0, 0, {}], ["masked", 0, 0, {}]]]}],
          "input_layers": [["x", 0, 0]], "output_layers": [["att", 0, 0]]}}
        """;
        using var model = KerasModel.Create(KerasConfigReader.Parse(json, "tfkeras.json"));
        var x = randn(2, 4, 3);
        x[0, 1] = zeros(3);
        x[1, 3] = zeros(3);
        var output = TensorConversions.ToTensor(model.Predict(TensorConversions.ToNdArray(x))[0], CPU);
        var keep = x.ne(0).any(-1);
        using var layer = CreateLayer("Attention", []);
        var expected = layer.Call(new CallArguments([new List<object?> { x, x }],
            new Dictionary<string, object?> { ["mask"] = new List<object?> { keep, keep } }))[0];
        var unmasked = layer.Call(new CallArguments([new List<object?> { x, x }], new Dictionary<string, object?>()))[0];
        Assert.True(output.allclose(expected));
        Assert.False(output.allclose(unmasked, 1e-3, 1e-3));
    }
}
