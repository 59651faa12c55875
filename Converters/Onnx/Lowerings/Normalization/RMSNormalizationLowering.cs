namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>RMSNormalization as ONNX nodes (reference semantics: Runtime/Layers/Normalization/RMSNormalization.cs).</summary>
internal static class RMSNormalizationLowering
{
    /// <summary>RMSNormalization: <c>x * rsqrt(mean(x^2) + epsilon) * scale</c>.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, RMSNormalizationSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var axes = NormalizationMath.Resolve(x, s.Axes);
        c.ExpectWeightCount(1);
        var scale = g.Reshape(c.Weight(0, "scale", axes.Select(a => x.Dim(a)).ToArray()), NormalizationMath.BroadcastShape(x, axes));
        var inverse = NormalizationMath.Rsqrt(g, g.Add(g.Reduce("ReduceMean", g.Mul(x, x), axes, keepDims: true), g.Scalar(s.Epsilon)));
        return c.Pass(g.Mul(g.Mul(x, inverse), scale));
    }
}
