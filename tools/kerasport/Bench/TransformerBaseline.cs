using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using static TorchSharp.torch;

namespace KerasPort.Cli.Bench;

/// <summary>
/// The golden transformer encoder block (<c>--builtin transformer</c>) written by hand in TorchSharp, with the model's
/// own weights: self-attention with query, key and value as one <c>linear</c> and torch's scaled dot-product attention,
/// the output projection, a residual add and LayerNormalization, a ReLU and a linear feed-forward layer, another
/// residual add and LayerNormalization. It shows what the block costs in TorchSharp without KerasPort's graph.
/// </summary>
internal sealed class TransformerBaseline : Baseline
{
    readonly Tensor[] owned;
    readonly Tensor qkvWeight, qkvBias, outputWeight, outputBias, norm1Weight, norm1Bias, ff1Weight, ff1Bias, ff2Weight, ff2Bias, norm2Weight, norm2Bias;
    readonly long[] split;
    readonly long[] normalized;
    readonly double epsilon1, epsilon2;
    readonly long steps;

    TransformerBaseline(KerasModel model, long steps)
    {
        this.steps = steps;
        var layers = model.Description.Layers;
        var attention = layers[1];
        Tensor Weight(LayerDescription layer, string name) =>
            TensorConversions.ToTensor((layer.Weights.FirstOrDefault(w => w.Name == name)
                ?? throw new KerasPortException($"{layer.ClassName} '{layer.Name}' has no weight '{name}'")).Value, model.Device);
        // Keras kernels are (in, heads, key_dim) for the projections and (heads, key_dim, out) for the output: linear's
        // (out, in) weights are their transposes, the three projections stacked for one product.
        long features = Weight(attention, "query_dense/vars/0").shape[0];
        Tensor Projection(string name) => Weight(attention, name + "/vars/0").reshape(features, -1).t();
        qkvWeight = cat([Projection("query_dense"), Projection("key_dense"), Projection("value_dense")], 0);
        qkvBias = cat([.. new[] { "query_dense", "key_dense", "value_dense" }.Select(n => Weight(attention, n + "/vars/1").flatten())], 0);
        var output = Weight(attention, "output_dense/vars/0");
        outputWeight = output.reshape(-1, output.shape[^1]).t().contiguous();
        outputBias = Weight(attention, "output_dense/vars/1");
        split = [3, (long)attention.Config["num_heads"]!, (long)attention.Config["key_dim"]!];
        (norm1Weight, norm1Bias, epsilon1) = (Weight(layers[4], "vars/0"), Weight(layers[4], "vars/1"), (double)layers[4].Config["epsilon"]!);
        (ff1Weight, ff1Bias) = (Weight(layers[5], "vars/0").t().contiguous(), Weight(layers[5], "vars/1"));
        (ff2Weight, ff2Bias) = (Weight(layers[6], "vars/0").t().contiguous(), Weight(layers[6], "vars/1"));
        (norm2Weight, norm2Bias, epsilon2) = (Weight(layers[8], "vars/0"), Weight(layers[8], "vars/1"), (double)layers[8].Config["epsilon"]!);
        normalized = [features];
        owned = [qkvWeight, qkvBias, outputWeight, outputBias, norm1Weight, norm1Bias, ff1Weight, ff1Bias, ff2Weight, ff2Bias, norm2Weight, norm2Bias];
        foreach (var tensor in owned) tensor.DetachFromDisposeScope();
    }

    /// <summary>A baseline for the golden transformer block, as <c>--builtin transformer</c> loads it.</summary>
    public static TransformerBaseline For(KerasModel model, int unknownDimension)
    {
        string[] expected = ["InputLayer", "MultiHeadAttention", "Dropout", "Add", "LayerNormalization", "Dense", "Dense", "Add", "LayerNormalization"];
        var layers = model.Description.Layers;
        if (!layers.Select(l => l.ClassName).SequenceEqual(expected) || model.Graph.InputLayers is not [var input]
            || BenchInputs.Shape(input, 1, unknownDimension) is not [_, var steps, _]
            || (string?)layers[5].Config["activation"] != "relu" || (string?)layers[6].Config["activation"] != "linear")
            throw new KerasPortException($"--baseline transformer needs the golden transformer block, as --builtin transformer loads it; '{model.Description.Name}' is not");
        using var scope = NewDisposeScope();
        return new TransformerBaseline(model, steps);
    }

    /// <inheritdoc />
    public override long ParamCount => owned.Sum(t => t.numel());

    /// <inheritdoc />
    public override string ParamNote => "the same weights, query, key and value stacked into one matrix";

    /// <inheritdoc />
    public override Tensor RandomInput(int batch) => rand(batch, steps, normalized[0]);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var qkv = nn.functional.linear(input, qkvWeight, qkvBias).unflatten(2, split).permute(2, 0, 3, 1, 4).unbind(0);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]).transpose(1, 2).flatten(2);
        var first = nn.functional.layer_norm(input + nn.functional.linear(attended, outputWeight, outputBias), normalized, norm1Weight, norm1Bias, epsilon1);
        var fed = nn.functional.linear(nn.functional.linear(first, ff1Weight, ff1Bias).relu_(), ff2Weight, ff2Bias);
        return nn.functional.layer_norm(first + fed, normalized, norm2Weight, norm2Bias, epsilon2);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var tensor in owned) tensor.Dispose();
    }
}
