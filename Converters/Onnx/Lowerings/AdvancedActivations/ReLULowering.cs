namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>ReLU and ThresholdedReLU as ONNX nodes (reference semantics: Runtime/Layers/AdvancedActivations/ReLU.cs).</summary>
internal static class ReLULowering
{
    /// <summary>
    /// ReLU (max_value, negative_slope, threshold) and ThresholdedReLU (theta), step for step as
    /// Runtime/Layers/AdvancedActivations/ReLU.cs (keras/src/activations/activations.py <c>ReLU.static_call</c>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ReLUSpec s)
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
}
