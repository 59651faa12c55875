namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The graph arithmetic the normalization lowerings share (the runtime's Runtime/Layers/Normalization/NormalizationMath.cs).</summary>
internal static class NormalizationMath
{
    /// <summary><c>1 / sqrt(x)</c>.</summary>
    internal static OnnxValue Rsqrt(OnnxGraph g, OnnxValue x) => g.Div(g.Scalar(1), g.Unary("Sqrt", x));

    /// <summary>A shape of ones with the input's sizes at <paramref name="axes"/>, to broadcast a per-axis parameter.</summary>
    internal static long[] BroadcastShape(OnnxValue x, IEnumerable<int> axes)
    {
        var shape = Enumerable.Repeat(1L, x.Rank).ToArray();
        foreach (var axis in axes) shape[x.Axis(axis)] = x.Dim(axis);
        return shape;
    }

    /// <summary><paramref name="axes"/> as distinct non-negative axes of <paramref name="x"/>, in order.</summary>
    internal static int[] Resolve(OnnxValue x, IEnumerable<int> axes) => axes.Select(x.Axis).Distinct().Order().ToArray();

    /// <summary>
    /// Moments over <paramref name="axes"/> kept as size-1 axes; the variance is <c>E[x^2] - E[x]^2</c> as
    /// keras/src/backend/torch/nn.py <c>moments</c> computes it.
    /// </summary>
    internal static (OnnxValue Mean, OnnxValue Variance) Moments(OnnxGraph g, OnnxValue x, int[] axes)
    {
        var mean = g.Reduce("ReduceMean", x, axes, keepDims: true);
        return (mean, g.Sub(g.Reduce("ReduceMean", g.Mul(x, x), axes, keepDims: true), g.Mul(mean, mean)));
    }

    /// <summary><c>x * inv + (beta - mean * inv)</c> with <c>inv = rsqrt(variance + epsilon) * gamma</c>.</summary>
    internal static OnnxValue ScaleAndShift(OnnxGraph g, OnnxValue x, OnnxValue mean, OnnxValue variance, double epsilon, OnnxValue? gamma, OnnxValue? beta)
    {
        var inv = Rsqrt(g, g.Add(variance, g.Scalar(epsilon)));
        if (gamma is not null) inv = g.Mul(inv, gamma);
        var offset = g.Unary("Neg", g.Mul(mean, inv));
        if (beta is not null) offset = g.Add(offset, beta);
        return g.Add(g.Mul(x, inv), offset);
    }
}
