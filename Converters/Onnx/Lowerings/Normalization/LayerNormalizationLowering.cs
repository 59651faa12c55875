namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>LayerNormalization as ONNX nodes (reference semantics: Runtime/Layers/Normalization/LayerNormalization.cs).</summary>
internal static class LayerNormalizationLowering
{
    /// <summary>
    /// LayerNormalization: trailing axes through ONNX LayerNormalization (torch's <c>layer_norm</c> in Keras's torch
    /// backend), other axes with the moments form; <c>rms_scaling</c> is <c>x * rsqrt(var(x) + epsilon) * gamma</c>.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, LayerNormalizationSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var axes = NormalizationMath.Resolve(x, s.Axes);
        double epsilon = s.Epsilon;
        bool rms = s.RmsScaling;
        bool scale = s.HasGamma, center = s.HasBeta;
        c.ExpectWeightCount((scale ? 1 : 0) + (center ? 1 : 0));
        var shape = axes.Select(a => x.Dim(a)).ToArray();
        var broadcast = NormalizationMath.BroadcastShape(x, axes);
        OnnxValue? Gamma() => scale ? g.Reshape(c.Weight(0, "gamma", shape), broadcast) : null;
        OnnxValue? Beta() => center ? g.Reshape(c.Weight(scale ? 1 : 0, "beta", shape), broadcast) : null;
        if (rms)
        {
            var mean = g.Reduce("ReduceMean", x, axes, keepDims: true);
            var centered = g.Sub(x, mean);
            var variance = g.Reduce("ReduceMean", g.Mul(centered, centered), axes, keepDims: true);
            var scaled = g.Mul(x, NormalizationMath.Rsqrt(g, g.Add(variance, g.Scalar(epsilon))));
            return c.Pass(Gamma() is { } gamma ? g.Mul(scaled, gamma) : scaled);
        }
        bool trailing = axes[^1] == x.Rank - 1 && axes[^1] - axes[0] == axes.Length - 1;
        if (trailing)
        {
            var normalized = x.Shape[axes[0]..];
            var weight = scale ? g.Reshape(c.Weight(0, "gamma", shape), normalized) : c.Derived("ones", Enumerable.Repeat(1f, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray(), normalized);
            var bias = center ? g.Reshape(c.Weight(scale ? 1 : 0, "beta", shape), normalized) : null;
            return c.Pass(g.Node("LayerNormalization", [x, weight, bias], x.Type, x.Shape, Attr.Int("axis", axes[0]), Attr.Float("epsilon", epsilon)));
        }
        var (m, v) = NormalizationMath.Moments(g, x, axes);
        return c.Pass(NormalizationMath.ScaleAndShift(g, x, m, v, epsilon, Gamma(), Beta()));
    }
}
