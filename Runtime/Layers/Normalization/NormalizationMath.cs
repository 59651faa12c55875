namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>Axis handling and statistics shared by the normalization layers.</summary>
internal static class NormalizationMath
{
    /// <summary>Makes <paramref name="axes"/> non-negative for an input of rank <paramref name="rank"/>, sorted and without repeats.</summary>
    public static long[] Resolve(IEnumerable<int> axes, long rank) => axes.Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();

    /// <summary>A shape of ones, with the input's sizes at <paramref name="axes"/>, to broadcast a per-axis parameter.</summary>
    public static long[] BroadcastShape(Tensor x, long[] axes) => BroadcastShape(x.Sizes(), axes);

    /// <summary>A shape of ones, with <paramref name="sizes"/> at <paramref name="axes"/>, to broadcast a per-axis parameter.</summary>
    public static long[] BroadcastShape(long[] sizes, long[] axes)
    {
        var shape = Enumerable.Repeat(1L, sizes.Length).ToArray();
        foreach (var axis in axes) shape[axis] = sizes[axis];
        return shape;
    }

    /// <summary>
    /// Mean and variance over <paramref name="axes"/>, kept as size-1 axes. The variance is
    /// <c>E[x^2] - E[x]^2</c>, not the two-pass form, as keras/src/backend/torch/nn.py <c>moments</c> computes it.
    /// </summary>
    public static (Tensor Mean, Tensor Variance) Moments(Tensor x, long[] axes)
    {
        var mean = x.mean(axes, keepdim: true);
        return (mean, x.Squared().mean(axes, keepdim: true) - mean.Squared());
    }

    /// <summary>
    /// <c>x * inv + (beta - mean * inv)</c> with <c>inv = rsqrt(variance + epsilon) * gamma</c>, the operation order of
    /// keras/src/layers/normalization/group_normalization.py and of <c>_layer_normalization</c> in keras/src/ops/nn.py.
    /// <paramref name="gamma"/> and <paramref name="beta"/> are already broadcastable, or null when absent.
    /// </summary>
    public static Tensor ScaleAndShift(Tensor x, Tensor mean, Tensor variance, double epsilon, Tensor? gamma, Tensor? beta)
    {
        var (inv, offset) = Affine(mean, variance, epsilon, gamma, beta);
        return (x * inv).Plus(offset);
    }

    /// <summary>
    /// The <c>inv</c> and <c>offset</c> of <see cref="ScaleAndShift"/>: <c>inv = rsqrt(variance + epsilon) * gamma</c>,
    /// <c>offset = beta - mean * inv</c>.
    /// </summary>
    public static (Tensor Inv, Tensor Offset) Affine(Tensor mean, Tensor variance, double epsilon, Tensor? gamma, Tensor? beta)
    {
        var inv = variance.Plus(epsilon).rsqrt();
        if (gamma is not null) inv = inv * gamma;
        var offset = -mean * inv;
        if (beta is not null) offset = offset.Plus(beta);
        return (inv, offset);
    }
}
