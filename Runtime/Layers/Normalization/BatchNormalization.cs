namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>BatchNormalization</c> at inference: <c>x * inv + offset</c> along <c>axis</c> with
/// <c>inv = rsqrt(moving_variance + epsilon) * gamma</c> and <c>offset = beta - moving_mean * inv</c>, computed once
/// when the layer is built; one fused multiply-add pass per call. This is the form of tf.nn.batch_normalization
/// (the TensorFlow backend) and of torch's CPU batch_norm kernel (which keras/src/backend/torch/nn.py
/// <c>batch_normalization</c> calls); it differs from <c>(x - mean) * inv + beta</c> only by rounding.
/// Weights are <c>gamma</c> (if <c>scale</c>), <c>beta</c> (if <c>center</c>), then the non-trainable
/// <c>moving_mean</c> and <c>moving_variance</c>.
/// </summary>
/// <remarks>
/// In training (a layer built for a training step, called with <see cref="CallArguments.Training"/>, and trainable)
/// it normalizes with the batch's statistics and updates the moving ones, as
/// keras/src/layers/normalization/batch_normalization.py <c>call</c> does.
/// </remarks>
public sealed class BatchNormalization : KerasLayer
{
    readonly int[] axes;
    readonly Tensor inv;
    readonly Tensor offset;
    readonly int firstStatistic;
    readonly BatchStatistics? training;

    /// <summary>Builds the layer.</summary>
    public BatchNormalization(LayerContext context, BatchNormalizationSpec spec) : base(context)
    {
        axes = spec.Axes;
        double epsilon = spec.Epsilon;
        bool scale = spec.Scale;
        bool center = spec.Center;
        firstStatistic = spec.FirstStatistic;
        context.ExpectWeightCount(firstStatistic + 2);
        var shape = context.InputDims(axes);
        int index = 0;
        using var scope = NewDisposeScope();
        var gamma = scale ? context.Weight(index++, "gamma", shape) : null;
        var beta = center ? context.Weight(index++, "beta", shape) : null;
        var movingMean = context.Weight(index++, "moving_mean", shape);
        var movingVariance = context.Weight(index, "moving_variance", shape);
        var (i, o) = NormalizationMath.Affine(movingMean, movingVariance, epsilon, gamma, beta);
        inv = Own(i);
        offset = Own(o);
        if (context.Bindings is not null)
        {
            if (spec.Renorm || spec.Synchronized)
                throw new UnsupportedLayerException(ClassName, Name, "training with renorm or synchronized is not supported");
            training = new BatchStatistics(gamma is null ? null : Own(gamma), beta is null ? null : Own(beta), Own(movingMean), Own(movingVariance),
                spec.Momentum, epsilon);
        }
    }

    /// <summary>
    /// The layer as one per-channel <c>x * Scale + Shift</c> along a single axis (config <c>axis</c>, possibly negative),
    /// for the inference plan to fold into a preceding linear layer; null when the layer normalizes over several axes.
    /// </summary>
    internal (Tensor Scale, Tensor Shift, int Axis)? ChannelAffine => axes is [var axis] ? (inv, offset, axis) : null;

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => index < firstStatistic && TrainableByConfig;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (arguments.Training && TrainableByConfig && training is not null)
        {
            if (arguments.Mask is not null)
                throw new UnsupportedLayerException(ClassName, Name, "training on masked inputs is not supported");
            return [training.Normalize(x, NormalizationMath.Resolve(axes, x.dim()))];
        }
        var shape = NormalizationMath.BroadcastShape(x, NormalizationMath.Resolve(axes, x.dim()));
        return [addcmul(offset.reshape(shape), x, inv.reshape(shape), Of(1))];
    }
}

/// <summary>
/// What BatchNormalization needs in training: the raw (bound) weights, the momentum and epsilon. Normalizes with the
/// batch mean and biased variance (<see cref="NormalizationMath.Moments"/>) and updates
/// <c>moving = moving * momentum + batch * (1 - momentum)</c> in place, once per call, outside autograd.
/// </summary>
sealed record BatchStatistics(Tensor? Gamma, Tensor? Beta, Tensor MovingMean, Tensor MovingVariance, double Momentum, double Epsilon)
{
    /// <summary>Normalizes <paramref name="x"/> along <paramref name="axes"/> (the channel axes) with the batch statistics.</summary>
    public Tensor Normalize(Tensor x, long[] axes)
    {
        var reduction = Enumerable.Range(0, (int)x.dim()).Select(a => (long)a).Except(axes).ToArray();
        var (mean, variance) = NormalizationMath.Moments(x, reduction);
        var statShape = MovingMean.Sizes();
        using (no_grad())
        {
            // keras/src/layers/normalization/batch_normalization.py: moving_mean * momentum + mean * (1.0 - momentum).
            MovingMean.copy_((MovingMean * Of(Momentum)).Plus(mean.reshape(statShape) * Of(1.0 - Momentum)));
            MovingVariance.copy_((MovingVariance * Of(Momentum)).Plus(variance.reshape(statShape) * Of(1.0 - Momentum)));
        }
        // keras/src/backend/torch/nn.py batch_normalization: x.subtract(mean).mul_(variance.add(epsilon).rsqrt_().mul(scale)).add_(offset).
        var shape = NormalizationMath.BroadcastShape(x, axes);
        var inv = variance.Plus(Epsilon).rsqrt();
        if (Gamma is not null) inv = inv * Gamma.reshape(shape);
        var y = (x - mean) * inv;
        return Beta is null ? y : y.Plus(Beta.reshape(shape));
    }
}
