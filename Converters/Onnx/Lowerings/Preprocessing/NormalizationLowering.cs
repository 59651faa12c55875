namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The Normalization preprocessing layer as ONNX nodes (reference semantics: Runtime/Layers/Preprocessing/Normalization.cs).</summary>
internal static class NormalizationLowering
{
    /// <summary>
    /// Normalization: <c>(x - mean) / max(sqrt(variance), 1e-7)</c>, or <c>mean + x * scale</c> with <c>invert</c>; the
    /// statistics come from adapted weights or the config and align right to left with the kept axes.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, NormalizationSpec s)
    {
        var g = c.Graph;
        var x = g.Cast(c.Input, OnnxType.Float);
        var keep = s.Axes.Select(x.Axis).Order().ToArray();
        bool adapted = c.Weights.Count > 0 || s.Mean is null;
        (float[] Data, long[] Shape) mean, variance;
        if (adapted)
        {
            c.ExpectWeightCount(3);
            mean = c.WeightData(0, "mean", c.Weights[0].Value.Shape);
            variance = c.WeightData(1, "variance", mean.Shape);
        }
        else
        {
            mean = (s.Mean!.Data, s.Mean.Shape);
            variance = (s.Variance!.Data, s.Variance.Shape);
        }
        long[] Broadcastable(long[] shape)
        {
            if (shape.Length == 0) return shape;
            var result = Enumerable.Repeat(1L, x.Rank).ToArray();
            for (int i = 1; i <= shape.Length; i++) result[keep[^i]] = shape[^i];
            return result;
        }
        var scale = variance.Data.Select(v => Math.Max(MathF.Sqrt(v), 1e-7f)).ToArray();
        var m = c.Derived("mean", mean.Data, Broadcastable(mean.Shape));
        var scaled = c.Derived("scale", scale, Broadcastable(variance.Shape));
        return c.Pass(s.Invert ? g.Add(m, g.Mul(x, scaled)) : g.Div(g.Sub(x, m), scaled));
    }
}
