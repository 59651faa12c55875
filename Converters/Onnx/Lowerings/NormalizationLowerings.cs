namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's normalization layers as ONNX nodes (reference semantics: Runtime/Layers/Normalization).</summary>
internal static class NormalizationLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<BatchNormalizationSpec>(table, BatchNormalization);
        OnnxLowerings.Add<LayerNormalizationSpec>(table, LayerNormalization);
        OnnxLowerings.Add<GroupNormalizationSpec>(table, GroupNormalization);
        OnnxLowerings.Add<UnitNormalizationSpec>(table, (c, s) =>
        {
            var g = c.Graph;
            var squares = g.Reduce("ReduceSum", g.Mul(c.Input, c.Input), s.Axes, keepDims: true);
            return c.Pass(g.Mul(c.Input, Rsqrt(g, g.Binary("Max", squares, g.Scalar(UnitNormalizationSpec.MinSquaredNorm)))));
        });
        OnnxLowerings.Add<RMSNormalizationSpec>(table, RmsNormalization);
        OnnxLowerings.Add<SpectralNormalizationSpec>(table, (c, _) => SpectralNormalization(c));
    }

    /// <summary><c>1 / sqrt(x)</c>.</summary>
    static OnnxValue Rsqrt(OnnxGraph g, OnnxValue x) => g.Div(g.Scalar(1), g.Unary("Sqrt", x));

    /// <summary>A shape of ones with the input's sizes at <paramref name="axes"/>, to broadcast a per-axis parameter.</summary>
    static long[] BroadcastShape(OnnxValue x, IEnumerable<int> axes)
    {
        var shape = Enumerable.Repeat(1L, x.Rank).ToArray();
        foreach (var axis in axes) shape[x.Axis(axis)] = x.Dim(axis);
        return shape;
    }

    static int[] Resolve(OnnxValue x, IEnumerable<int> axes) => axes.Select(x.Axis).Distinct().Order().ToArray();

    /// <summary>
    /// BatchNormalization at inference: <c>x * inv + offset</c> with <c>inv = rsqrt(moving_variance + epsilon) * gamma</c>
    /// and <c>offset = beta - moving_mean * inv</c> folded at export, the runtime's form (tf.nn.batch_normalization).
    /// </summary>
    static OnnxLowered BatchNormalization(OnnxLayerCall c, BatchNormalizationSpec s)
    {
        var x = c.Input;
        var axes = Resolve(x, s.Axes);
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
        var broadcast = BroadcastShape(x, axes);
        var g = c.Graph;
        return c.Pass(g.Add(g.Mul(x, c.Derived("inv", inv, broadcast)), c.Derived("offset", offset, broadcast)));
    }

    /// <summary>
    /// Moments over <paramref name="axes"/> kept as size-1 axes; the variance is <c>E[x^2] - E[x]^2</c> as
    /// keras/src/backend/torch/nn.py <c>moments</c> computes it.
    /// </summary>
    static (OnnxValue Mean, OnnxValue Variance) Moments(OnnxGraph g, OnnxValue x, int[] axes)
    {
        var mean = g.Reduce("ReduceMean", x, axes, keepDims: true);
        return (mean, g.Sub(g.Reduce("ReduceMean", g.Mul(x, x), axes, keepDims: true), g.Mul(mean, mean)));
    }

    /// <summary><c>x * inv + (beta - mean * inv)</c> with <c>inv = rsqrt(variance + epsilon) * gamma</c>.</summary>
    static OnnxValue ScaleAndShift(OnnxGraph g, OnnxValue x, OnnxValue mean, OnnxValue variance, double epsilon, OnnxValue? gamma, OnnxValue? beta)
    {
        var inv = Rsqrt(g, g.Add(variance, g.Scalar(epsilon)));
        if (gamma is not null) inv = g.Mul(inv, gamma);
        var offset = g.Unary("Neg", g.Mul(mean, inv));
        if (beta is not null) offset = g.Add(offset, beta);
        return g.Add(g.Mul(x, inv), offset);
    }

    /// <summary>
    /// LayerNormalization: trailing axes through ONNX LayerNormalization (torch's <c>layer_norm</c> in Keras's torch
    /// backend), other axes with the moments form; <c>rms_scaling</c> is <c>x * rsqrt(var(x) + epsilon) * gamma</c>.
    /// </summary>
    static OnnxLowered LayerNormalization(OnnxLayerCall c, LayerNormalizationSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var axes = Resolve(x, s.Axes);
        double epsilon = s.Epsilon;
        bool rms = s.RmsScaling;
        bool scale = s.HasGamma, center = s.HasBeta;
        c.ExpectWeightCount((scale ? 1 : 0) + (center ? 1 : 0));
        var shape = axes.Select(a => x.Dim(a)).ToArray();
        var broadcast = BroadcastShape(x, axes);
        OnnxValue? Gamma() => scale ? g.Reshape(c.Weight(0, "gamma", shape), broadcast) : null;
        OnnxValue? Beta() => center ? g.Reshape(c.Weight(scale ? 1 : 0, "beta", shape), broadcast) : null;
        if (rms)
        {
            var mean = g.Reduce("ReduceMean", x, axes, keepDims: true);
            var centered = g.Sub(x, mean);
            var variance = g.Reduce("ReduceMean", g.Mul(centered, centered), axes, keepDims: true);
            var scaled = g.Mul(x, Rsqrt(g, g.Add(variance, g.Scalar(epsilon))));
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
        var (m, v) = Moments(g, x, axes);
        return c.Pass(ScaleAndShift(g, x, m, v, epsilon, Gamma(), Beta()));
    }

    /// <summary>
    /// GroupNormalization: the channel axis split into <c>groups</c> contiguous groups, each normalized over its channels
    /// and every non-batch axis with <c>E[x^2] - E[x]^2</c> moments, then per-channel gamma and beta.
    /// </summary>
    static OnnxLowered GroupNormalization(OnnxLayerCall c, GroupNormalizationSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        int groups = s.Groups, axis = x.Axis(s.Axis);
        double epsilon = s.Epsilon;
        bool scale = s.Scale, center = s.Center;
        c.ExpectWeightCount((scale ? 1 : 0) + (center ? 1 : 0));
        long channels = x.Dim(axis);
        long groupCount = groups == -1 ? channels : groups;
        if (channels < 0) throw c.Unsupported("group normalization needs a fixed channel count");
        long[] grouped = [0, .. x.Shape[1..axis], groupCount, channels / groupCount, .. x.Shape[(axis + 1)..]];
        if (grouped.Skip(1).Any(d => d < 0)) throw c.Unsupported("group normalization needs fixed non-batch sizes");
        var reshaped = g.Reshape(x, grouped);
        var reduce = Enumerable.Range(1, grouped.Length - 1).Where(a => a != axis).ToArray();
        var parameterShape = Enumerable.Repeat(1L, grouped.Length).ToArray();
        parameterShape[axis] = groupCount;
        parameterShape[axis + 1] = channels / groupCount;
        OnnxValue Parameter(int index, string role) => g.Reshape(c.Weight(index, role, channels), parameterShape);
        var (mean, variance) = Moments(g, reshaped, reduce);
        var y = ScaleAndShift(g, reshaped, mean, variance, epsilon, scale ? Parameter(0, "gamma") : null, center ? Parameter(scale ? 1 : 0, "beta") : null);
        return c.Pass(g.Reshape(y, [0, .. x.Shape[1..]]));
    }

    /// <summary>RMSNormalization: <c>x * rsqrt(mean(x^2) + epsilon) * scale</c>.</summary>
    static OnnxLowered RmsNormalization(OnnxLayerCall c, RMSNormalizationSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var axes = Resolve(x, s.Axes);
        c.ExpectWeightCount(1);
        var scale = g.Reshape(c.Weight(0, "scale", axes.Select(a => x.Dim(a)).ToArray()), BroadcastShape(x, axes));
        var inverse = Rsqrt(g, g.Add(g.Reduce("ReduceMean", g.Mul(x, x), axes, keepDims: true), g.Scalar(s.Epsilon)));
        return c.Pass(g.Mul(g.Mul(x, inverse), scale));
    }

    /// <summary>
    /// SpectralNormalization at inference calls the wrapped layer with its stored kernel (Keras renormalizes only when
    /// training); <see cref="NestedLayerDescriptions.SpectralNormalized"/> tells its weights from <c>vector_u</c>.
    /// </summary>
    static OnnxLowered SpectralNormalization(OnnxLayerCall c)
    {
        var (inner, _) = NestedLayerDescriptions.SpectralNormalized(c);
        var call = c.Inner(inner, c.Args, c.Kwargs, c.Mask);
        return OnnxModelWriter.Lowering(call)(call);
    }
}
