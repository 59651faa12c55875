namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>GroupNormalization</c>: the channel axis is split into <c>groups</c> contiguous groups, each
/// normalized over its channels and every non-batch axis with <c>E[x^2] - E[x]^2</c> moments, then scaled by
/// per-channel <c>gamma</c> and shifted by <c>beta</c> (keras/src/layers/normalization/group_normalization.py).
/// <c>groups=-1</c> means one group per channel. Weights: <c>gamma</c> (if <c>scale</c>), <c>beta</c> (if <c>center</c>).
/// </summary>
public sealed class GroupNormalization : KerasLayer
{
    readonly int groups;
    readonly int axis;
    readonly double epsilon;
    readonly Tensor? gamma;
    readonly Tensor? beta;

    /// <summary>Builds the layer.</summary>
    public GroupNormalization(LayerContext context, GroupNormalizationSpec spec) : base(context)
    {
        (groups, axis, epsilon) = (spec.Groups, spec.Axis, spec.Epsilon);
        bool scale = spec.Scale;
        bool center = spec.Center;
        context.ExpectWeightCount((scale ? 1 : 0) + (center ? 1 : 0));
        gamma = scale ? Own(context.Weight(0, "gamma", context.InputDim(axis))) : null;
        beta = center ? Own(context.Weight(scale ? 1 : 0, "beta", context.InputDim(axis))) : null;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        int channelAxis = (int)NormalizationMath.Resolve([axis], x.dim())[0];
        long channels = x.Sizes()[channelAxis];
        long groupCount = groups == -1 ? channels : groups;
        // [..., C, ...] -> [..., groups, C / groups, ...]: the group index takes the channel axis's place.
        long[] grouped = [.. x.Sizes()[..channelAxis], groupCount, channels / groupCount, .. x.Sizes()[(channelAxis + 1)..]];
        var reduce = Enumerable.Range(1, grouped.Length - 1).Where(a => a != channelAxis).Select(a => (long)a).ToArray();
        var parameterShape = Enumerable.Repeat(1L, grouped.Length).ToArray();
        parameterShape[channelAxis] = groupCount;
        parameterShape[channelAxis + 1] = channels / groupCount;
        var g = x.reshape(grouped);
        var (mean, variance) = NormalizationMath.Moments(g, reduce);
        var y = NormalizationMath.ScaleAndShift(g, mean, variance, epsilon, gamma?.reshape(parameterShape), beta?.reshape(parameterShape));
        return [y.reshape(x.Sizes())];
    }
}
