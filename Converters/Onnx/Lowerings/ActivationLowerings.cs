namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's activation layers as ONNX nodes (reference semantics: Runtime/Layers/AdvancedActivations).</summary>
internal static class ActivationLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<LeakyReLUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("LeakyRelu", c.Input, Attr.Float("alpha", s.NegativeSlope))));
        OnnxLowerings.Add<ELUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("Elu", c.Input, Attr.Float("alpha", s.Alpha))));
        OnnxLowerings.Add<PReLUSpec>(table, PReLU);
        OnnxLowerings.Add<ReLUSpec>(table, ReLU);
        OnnxLowerings.Add<SoftmaxSpec>(table, Softmax);
    }

    static OnnxLowered PReLU(OnnxLayerCall c, PReLUSpec s)
    {
        c.ExpectWeightCount(1);
        var x = c.Input;
        var alpha = c.Weight(0, "alpha", s.AlphaShape(x.Shape));
        return c.Pass(c.Graph.Node("PRelu", [x, alpha], x.Type, x.Shape));
    }

    /// <summary>
    /// ReLU (max_value, negative_slope, threshold) and ThresholdedReLU (theta), step for step as
    /// Runtime/Layers/AdvancedActivations/ReLU.cs (keras/src/activations/activations.py <c>ReLU.static_call</c>).
    /// </summary>
    static OnnxLowered ReLU(OnnxLayerCall c, ReLUSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        if (s.NegativeSlope != 0 && s.MaxValue is null && s.Threshold == 0) return c.Pass(g.Unary("LeakyRelu", x, Attr.Float("alpha", s.NegativeSlope)));
        var negative = g.Unary("Neg", x);
        OnnxValue? negativePart = s.NegativeSlope == 0 ? null : g.Unary("Relu", s.Threshold != 0 ? g.Add(negative, g.Scalar(s.Threshold)) : negative);
        var y = s.Threshold != 0 ? g.Mul(x, g.Cast(g.Compare("Greater", x, g.Scalar(s.Threshold)), OnnxType.Float)) : g.Unary("Relu", x);
        if (s.MaxValue is { } max) y = g.Clip(y, 0, max);
        return c.Pass(negativePart is null ? y : g.Sub(y, g.Scale(negativePart, s.NegativeSlope)));
    }

    /// <summary>Softmax over one or more axes; a mask adds -1e9 to masked logits first (keras/src/layers/activations/softmax.py).</summary>
    static OnnxLowered Softmax(OnnxLayerCall c, SoftmaxSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        if (c.Mask is { } mask) x = g.Add(x, g.Scale(g.Sub(g.Scalar(1), g.Cast(mask, OnnxType.Float)), SoftmaxSpec.MaskedLogit));
        if (s.Axes is [var axis]) return c.Pass(g.Softmax(x, axis));
        var logSum = g.Reduce("ReduceLogSumExp", x, s.Axes, keepDims: true);
        return c.Pass(g.Unary("Exp", g.Sub(x, logSum)));
    }
}
