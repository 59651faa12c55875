namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's core and activation layers as ONNX nodes (reference semantics: Runtime/Layers/Core and
/// Runtime/Layers/AdvancedActivations).
/// </summary>
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
        foreach (var name in new[] { "Identity", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                     "GaussianDropout", "GaussianNoise", "ActivityRegularization" })
            table[name] = c => c.Pass(c.Input);
        table["LeakyReLU"] = c => c.Pass(c.Graph.Unary("LeakyRelu", c.Input, Attr.Float("alpha", c.Double("negative_slope", c.Double("alpha", 0.3)))));
        table["ELU"] = c => c.Pass(c.Graph.Unary("Elu", c.Input, Attr.Float("alpha", c.Double("alpha", 1.0))));
        table["PReLU"] = PReLU;
        table["ReLU"] = ReLU;
        table["ThresholdedReLU"] = ReLU;
        table["Softmax"] = Softmax;
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

    /// <summary>PReLU: <c>x</c> for positive inputs, <c>alpha * x</c> otherwise, alpha shaped as the input without its batch axis.</summary>
    static OnnxLowered PReLU(OnnxLayerCall c)
    {
        c.ExpectWeightCount(1);
        var x = c.Input;
        var shared = c.Ints("shared_axes") ?? [];
        var alpha = c.Weight(0, "alpha", x.Shape[1..].Select((d, i) => shared.Contains(i + 1) ? 1 : d).ToArray());
        return c.Pass(c.Graph.Node("PRelu", [x, alpha], x.Type, x.Shape));
    }

    /// <summary>
    /// ReLU (max_value, negative_slope, threshold) and ThresholdedReLU (theta), step for step as
    /// Runtime/Layers/AdvancedActivations/ReLU.cs (keras/src/activations/activations.py <c>ReLU.static_call</c>).
    /// </summary>
    static OnnxLowered ReLU(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = c.Input;
        bool thresholded = c.ClassName == "ThresholdedReLU";
        double slope = thresholded ? 0 : c.Double("negative_slope", 0);
        double? maxValue = !thresholded && c.Has("max_value") ? c.Double("max_value", 0) : null;
        double threshold = thresholded ? c.Double("theta", 1) : c.Double("threshold", 0);
        if (slope != 0 && maxValue is null && threshold == 0) return c.Pass(g.Unary("LeakyRelu", x, Attr.Float("alpha", slope)));
        var negative = g.Unary("Neg", x);
        OnnxValue? negativePart = slope == 0 ? null : g.Unary("Relu", threshold != 0 ? g.Add(negative, g.Scalar(threshold)) : negative);
        var y = threshold != 0 ? g.Mul(x, g.Cast(g.Compare("Greater", x, g.Scalar(threshold)), OnnxType.Float)) : g.Unary("Relu", x);
        if (maxValue is { } max) y = g.Clip(y, 0, max);
        return c.Pass(negativePart is null ? y : g.Sub(y, g.Scale(negativePart, slope)));
    }

    /// <summary>Softmax over one or more axes; a mask adds -1e9 to masked logits first (keras/src/layers/activations/softmax.py).</summary>
    static OnnxLowered Softmax(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = c.Input;
        var axes = c.Ints("axis") ?? [-1];
        if (c.Mask is { } mask) x = g.Add(x, g.Scale(g.Sub(g.Scalar(1), g.Cast(mask, OnnxType.Float)), -1e9));
        if (axes is [var axis]) return c.Pass(g.Softmax(x, axis));
        var logSum = g.Reduce("ReduceLogSumExp", x, axes, keepDims: true);
        return c.Pass(g.Unary("Exp", g.Sub(x, logSum)));
    }
}
