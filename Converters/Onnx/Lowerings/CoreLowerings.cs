using System.Text.Json.Nodes;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's core layers as ONNX nodes (reference semantics: Runtime/Layers/Core).</summary>
internal static class CoreLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        table["Dense"] = Dense;
        table["EinsumDense"] = EinsumDense;
        table["Embedding"] = Embedding;
        table["Activation"] = c => c.Pass(c.Activate(c.Input));
        table["Masking"] = Masking;
        foreach (var name in new[] { "Identity", "ActivityRegularization", "MaxNumBoundingBoxes" }) table[name] = c => c.Pass(c.Input);
        foreach (var name in Keras.ImageAugmentationClasses.Names) table[name] = c => c.Pass(c.Input);
        table["ReversibleEmbedding"] = ReversibleEmbedding;
    }

    /// <summary>Dense: <c>activation(x @ kernel + bias)</c> on the last axis of an input of any rank.</summary>
    static OnnxLowered Dense(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = c.Input;
        long units = c.Int("units", -1);
        bool useBias = c.Bool("use_bias", true);
        Keras.KerasQuantization.RequireFloat(c.Description, "ONNX export");
        c.ExpectWeightCount(useBias ? 2 : 1);
        var y = g.MatMul(x, c.Weight(0, "kernel", x.Dim(-1), units));
        if (useBias) y = g.Add(y, c.Weight(1, "bias", units));
        return c.Pass(c.Activate(y));
    }

    /// <summary>EinsumDense: <c>activation(einsum(equation, x, kernel) + bias)</c>, the bias already broadcastable.</summary>
    static OnnxLowered EinsumDense(OnnxLayerCall c)
    {
        var g = c.Graph;
        var equation = c.String("equation") ?? throw new FormatException($"EinsumDense '{c.Name}' has no 'equation'");
        var biasAxes = c.String("bias_axes") ?? "";
        Keras.KerasQuantization.RequireFloat(c.Description, "ONNX export");
        c.ExpectWeightCount(biasAxes.Length > 0 ? 2 : 1);
        var y = g.Einsum(equation, c.Input, c.Weight(0, "kernel", c.Weights[0].Value.Shape));
        if (biasAxes.Length > 0) y = g.Add(y, c.Weight(1, "bias", c.Weights[1].Value.Shape));
        return c.Pass(c.Activate(y));
    }

    /// <summary>Embedding: Gather rows of <c>[input_dim, output_dim]</c>; with <c>mask_zero</c> the output is masked where the id is 0.</summary>
    static OnnxLowered Embedding(OnnxLayerCall c)
    {
        var g = c.Graph;
        Keras.KerasQuantization.RequireFloat(c.Description, "ONNX export");
        c.ExpectWeightCount(1);
        var table = c.Weight(0, "embeddings", c.Int("input_dim", -1), c.Int("output_dim", -1));
        var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
        var output = g.Gather(table, ids, 0);
        return new OnnxLowered([output], c.Bool("mask_zero", false) ? NotEqual(g, c.Input, 0) : null);
    }

    /// <summary>
    /// ReversibleEmbedding (Runtime/Layers/Core/ReversibleEmbedding.cs): the lookup, or with <c>reverse=True</c>
    /// <c>x @ embeddings^T</c> (tied) or <c>x @ reverse_embeddings</c>, soft-capped as <c>tanh(logits / cap) * cap</c>.
    /// </summary>
    static OnnxLowered ReversibleEmbedding(OnnxLayerCall c)
    {
        var g = c.Graph;
        bool tied = c.Bool("tie_weights", true);
        c.ExpectWeightCount(tied ? 1 : 2);
        long inputDim = c.Int("input_dim", -1), outputDim = c.Int("output_dim", -1);
        if (c.String("reverse_dtype") is { } reverseDtype && reverseDtype != "float32") throw c.Unsupported($"reverse_dtype '{reverseDtype}'");
        bool reverse = c.Kwargs.TryGetValue("reverse", out var flag) && flag is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        if (!reverse)
        {
            var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
            return new OnnxLowered([g.Gather(c.Weight(0, "embeddings", inputDim, outputDim), ids, 0)], c.Bool("mask_zero", false) ? NotEqual(g, c.Input, 0) : null);
        }
        var kernel = tied
            ? g.Transpose(c.Weight(0, "embeddings", inputDim, outputDim), 1, 0)
            : c.Weight(1, "reverse_embeddings", outputDim, inputDim);
        var logits = g.MatMul(c.Input, kernel);
        if (c.Has("logit_soft_cap"))
        {
            double cap = c.Double("logit_soft_cap", 0);
            logits = g.Scale(g.Unary("Tanh", g.Div(logits, g.Scalar(cap))), cap);
        }
        return OnnxLayerCall.Drop(logits);
    }

    /// <summary>Boolean <c>x != value</c> with the constant in <paramref name="x"/>'s type.</summary>
    internal static OnnxValue NotEqual(OnnxGraph g, OnnxValue x, double value) =>
        g.Unary("Not", g.Compare("Equal", x, g.ScalarOf(x.Type, value)));

    /// <summary>Masking: zeroes time steps whose features all equal <c>mask_value</c> and masks them.</summary>
    static OnnxLowered Masking(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = c.Input;
        var differs = g.Cast(NotEqual(g, x, c.Double("mask_value", 0.0)), OnnxType.Float);
        var keep = g.Reduce("ReduceMax", differs, [-1], keepDims: false);
        var output = g.Mul(x, g.Unsqueeze(keep, -1));
        return new OnnxLowered([output], g.Cast(keep, OnnxType.Bool));
    }
}
