using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

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
public sealed class BatchNormalization : KerasLayer
{
    readonly int[] axes;
    readonly Tensor inv;
    readonly Tensor offset;
    readonly int firstStatistic;

    /// <summary>Builds the layer.</summary>
    public BatchNormalization(LayerContext context) : base(context)
    {
        axes = NormalizationMath.ConfigAxes(context, "axis", -1);
        double epsilon = context.Double("epsilon", 1e-3);
        bool scale = context.Bool("scale", true);
        bool center = context.Bool("center", true);
        firstStatistic = (scale ? 1 : 0) + (center ? 1 : 0);
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
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => index < firstStatistic && TrainableByConfig;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var shape = NormalizationMath.BroadcastShape(x, NormalizationMath.Resolve(axes, x.dim()));
        return [addcmul(offset.reshape(shape), x, inv.reshape(shape), Of(1))];
    }
}
