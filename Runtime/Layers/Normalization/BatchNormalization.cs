using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>BatchNormalization</c> at inference: <c>(x - moving_mean) * (rsqrt(moving_variance + epsilon) * gamma) + beta</c>
/// along <c>axis</c>, in that operation order (keras/src/backend/torch/nn.py <c>batch_normalization</c>).
/// Weights are <c>gamma</c> (if <c>scale</c>), <c>beta</c> (if <c>center</c>), then the non-trainable
/// <c>moving_mean</c> and <c>moving_variance</c>.
/// </summary>
public sealed class BatchNormalization : KerasLayer
{
    readonly int[] axes;
    readonly double epsilon;
    readonly Tensor? gamma;
    readonly Tensor? beta;
    readonly Tensor movingMean;
    readonly Tensor movingVariance;
    readonly int firstStatistic;

    /// <summary>Builds the layer.</summary>
    public BatchNormalization(LayerContext context) : base(context)
    {
        axes = NormalizationMath.ConfigAxes(context, "axis", -1);
        epsilon = context.Double("epsilon", 1e-3);
        bool scale = context.Bool("scale", true);
        bool center = context.Bool("center", true);
        firstStatistic = (scale ? 1 : 0) + (center ? 1 : 0);
        context.ExpectWeightCount(firstStatistic + 2);
        var shape = context.InputDims(axes);
        int index = 0;
        gamma = scale ? Own(context.Weight(index++, "gamma", shape)) : null;
        beta = center ? Own(context.Weight(index++, "beta", shape)) : null;
        movingMean = Own(context.Weight(index++, "moving_mean", shape));
        movingVariance = Own(context.Weight(index, "moving_variance", shape));
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => index < firstStatistic && TrainableByConfig;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var shape = NormalizationMath.BroadcastShape(x, NormalizationMath.Resolve(axes, x.dim()));
        var inv = (movingVariance.reshape(shape) + epsilon).rsqrt();
        if (gamma is not null) inv = inv * gamma.reshape(shape);
        var y = (x - movingMean.reshape(shape)) * inv;
        return [beta is null ? y : y + beta.reshape(shape)];
    }
}
