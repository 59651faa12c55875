namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Softmax as ONNX nodes (reference semantics: Runtime/Layers/AdvancedActivations/Softmax.cs).</summary>
internal static class SoftmaxLowering
{
    /// <summary>Softmax over one or more axes; a mask adds -1e9 to masked logits first (keras/src/layers/activations/softmax.py).</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, SoftmaxSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        if (c.Mask is { } mask) x = g.Add(x, g.Scale(g.Sub(g.Scalar(1), g.Cast(mask, OnnxType.Float)), SoftmaxSpec.MaskedLogit));
        if (s.Axes is [var axis]) return c.Pass(g.Softmax(x, axis));
        var logSum = g.Reduce("ReduceLogSumExp", x, s.Axes, keepDims: true);
        return c.Pass(g.Unary("Exp", g.Sub(x, logSum)));
    }
}
