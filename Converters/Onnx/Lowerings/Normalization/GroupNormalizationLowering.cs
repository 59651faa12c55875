namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>GroupNormalization as ONNX nodes (reference semantics: Runtime/Layers/Normalization/GroupNormalization.cs).</summary>
internal static class GroupNormalizationLowering
{
    /// <summary>
    /// GroupNormalization: the channel axis split into <c>groups</c> contiguous groups, each normalized over its channels
    /// and every non-batch axis with <c>E[x^2] - E[x]^2</c> moments, then per-channel gamma and beta.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, GroupNormalizationSpec s)
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
        var (mean, variance) = NormalizationMath.Moments(g, reshaped, reduce);
        var y = NormalizationMath.ScaleAndShift(g, reshaped, mean, variance, epsilon, scale ? Parameter(0, "gamma") : null, center ? Parameter(scale ? 1 : 0, "beta") : null);
        return c.Pass(g.Reshape(y, [0, .. x.Shape[1..]]));
    }
}
