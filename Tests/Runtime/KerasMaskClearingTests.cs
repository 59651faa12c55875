using KerasPort.Runtime.Graph;

namespace KerasPort.Tests.Runtime;

/// <summary>The graph walk behind Keras 3's MultiHeadAttention mask clearing, on graphs a hostile file could hold.</summary>
public sealed class KerasMaskClearingTests
{
    /// <summary>
    /// input → 100,000 identity layers → MultiHeadAttention(x, x), and a residual Add([x, mha]) that Keras runs after
    /// the attention, so it reads x without its mask. The walks are iterative: a recursive one overflows the stack
    /// (and kills the process) long before this depth.
    /// </summary>
    [Fact]
    public void AVeryDeepChainBeforeAnAttentionLayerNeitherOverflowsNorLosesTheClearing()
    {
        const int depth = 100_000;
        static TensorArgument Output(string layer) => new(new TensorRef(layer, 0, 0));
        static InboundNode Call(params NodeArgument[] args) => new(args, new Dictionary<string, NodeArgument>());
        var layers = new List<LayerDescription>(depth + 3) { new() { Name = "input", ClassName = "InputLayer", Config = [] } };
        for (int i = 0; i < depth; i++)
            layers.Add(new() { Name = $"identity_{i}", ClassName = "Identity", Config = [], InboundNodes = [Call(Output(i == 0 ? "input" : $"identity_{i - 1}"))] });
        var last = Output($"identity_{depth - 1}");
        layers.Add(new() { Name = "mha", ClassName = "MultiHeadAttention", Config = [], InboundNodes = [Call(last, last)] });
        layers.Add(new() { Name = "add", ClassName = "Add", Config = [], InboundNodes = [Call(new ListArgument([last, Output("mha")]))] });
        var model = new ModelDescription
        {
            Name = "deep", ClassName = "Functional", KerasVersion = "3.15.1", Layers = layers,
            Inputs = [new TensorRef("input", 0, 0)], Outputs = [new TensorRef("add", 0, 0)],
        };

        var clearing = KerasMaskClearing.Of(model, layer => layer.StartsWith("identity_", StringComparison.Ordinal));

        Assert.True(clearing.Hides("add", 0, last.Tensor));
        Assert.False(clearing.Hides("add", 0, new TensorRef("mha", 0, 0)));
        Assert.False(clearing.Hides("mha", 0, last.Tensor));
        Assert.False(clearing.Hides($"identity_{depth - 1}", 0, new TensorRef($"identity_{depth - 2}", 0, 0)));
    }
}
