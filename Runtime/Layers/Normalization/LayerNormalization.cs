using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>LayerNormalization</c> over one or more axes, as keras/src/ops/nn.py <c>_layer_normalization</c>
/// runs it on torch: trailing axes go through torch <c>layer_norm</c>; other axes use the
/// <c>x * inv + (beta - mean * inv)</c> form with <c>inv = rsqrt(variance + epsilon) * gamma</c>. With
/// <c>rms_scaling</c> the output is <c>x * rsqrt(var(x) + epsilon) * gamma</c>: the variance, not the mean
/// square, and no <c>beta</c>. Weights: <c>gamma</c> (if <c>scale</c> or <c>rms_scaling</c>), then <c>beta</c>
/// (if <c>center</c> and not <c>rms_scaling</c>), each shaped as the normalized axes.
/// </summary>
public sealed class LayerNormalization : KerasLayer
{
    readonly int[] axes;
    readonly double epsilon;
    readonly bool rmsScaling;
    readonly Tensor? gamma;
    readonly Tensor? beta;
    readonly long[] weightShape;

    /// <summary>Builds the layer.</summary>
    public LayerNormalization(LayerContext context, LayerNormalizationSpec spec) : base(context)
    {
        (axes, epsilon, rmsScaling) = (spec.Axes, spec.Epsilon, spec.RmsScaling);
        bool scale = spec.HasGamma;
        bool center = spec.HasBeta;
        context.ExpectWeightCount((scale ? 1 : 0) + (center ? 1 : 0));
        var shape = context.InputDims(axes);
        gamma = scale ? Own(context.Weight(0, "gamma", shape)) : null;
        beta = center ? Own(context.Weight(scale ? 1 : 0, "beta", shape)) : null;
        weightShape = (gamma ?? beta)?.Sizes() ?? [];
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var sizes = x.Sizes();
        var resolved = NormalizationMath.Resolve(axes, sizes.Length);
        var shape = NormalizationMath.BroadcastShape(sizes, resolved);
        if (rmsScaling)
        {
            var scaled = x * x.var(resolved, unbiased: false, keepdim: true).Plus(epsilon).rsqrt();
            return [gamma is null ? scaled : scaled * gamma.reshape(shape)];
        }
        bool trailing = resolved[^1] == sizes.Length - 1 && resolved[^1] - resolved[0] == resolved.Length - 1;
        if (trailing)
        {
            var normalizedShape = resolved.Select(a => sizes[a]).ToArray();
            return [F.layer_norm(x, normalizedShape, Shaped(gamma, normalizedShape), Shaped(beta, normalizedShape), epsilon)];
        }
        var (mean, variance) = NormalizationMath.Moments(x, resolved);
        return [NormalizationMath.ScaleAndShift(x, mean, variance, epsilon, gamma?.reshape(shape), beta?.reshape(shape))];
    }

    /// <summary><paramref name="weight"/> viewed as <paramref name="shape"/>; as it is when it already has that shape (one normalized axis).</summary>
    Tensor? Shaped(Tensor? weight, long[] shape) => weight is null ? null : weightShape.SequenceEqual(shape) ? weight : weight.reshape(shape);
}
