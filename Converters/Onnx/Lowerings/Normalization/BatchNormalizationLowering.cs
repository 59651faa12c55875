namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>BatchNormalization at inference as ONNX Mul and Add (reference semantics: Runtime/Layers/Normalization/BatchNormalization.cs).</summary>
internal static class BatchNormalizationLowering
{
    /// <summary>
    /// BatchNormalization at inference: <c>x * inv + offset</c> with <c>inv = rsqrt(moving_variance + epsilon) * gamma</c>
    /// and <c>offset = beta - moving_mean * inv</c> folded at export, the runtime's form (tf.nn.batch_normalization).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, BatchNormalizationSpec s)
    {
        var x = c.Input;
        var axes = NormalizationMath.Resolve(x, s.Axes);
        double epsilon = s.Epsilon;
        bool scale = s.Scale, center = s.Center;
        c.ExpectWeightCount(s.FirstStatistic + 2);
        var shape = axes.Select(a => x.Dim(a)).ToArray();
        int index = 0;
        var gamma = scale ? c.WeightData(index++, "gamma", shape).Data : null;
        var beta = center ? c.WeightData(index++, "beta", shape).Data : null;
        var mean = c.WeightData(index++, "moving_mean", shape).Data;
        var variance = c.WeightData(index, "moving_variance", shape).Data;
        var inv = new float[mean.Length];
        var offset = new float[mean.Length];
        for (int i = 0; i < inv.Length; i++)
        {
            inv[i] = 1f / MathF.Sqrt(variance[i] + (float)epsilon);
            if (gamma is not null) inv[i] *= gamma[i];
            offset[i] = -mean[i] * inv[i];
            if (beta is not null) offset[i] += beta[i];
        }
        var broadcast = NormalizationMath.BroadcastShape(x, axes);
        var g = c.Graph;
        return c.Pass(g.Add(g.Mul(x, c.Derived("inv", inv, broadcast)), c.Derived("offset", offset, broadcast)));
    }
}
