namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Global average/max pooling as ONNX reductions (reference semantics: Runtime/Layers/Pooling/GlobalPooling.cs).</summary>
internal static class GlobalPoolingLowering
{
    /// <summary>
    /// Global average/max pooling over the spatial axes; a 1D average with a time-step mask leaves masked steps out of
    /// the mean (keras/src/layers/pooling/global_average_pooling1d.py).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, GlobalPoolingSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var (channelsFirst, keepDims) = (s.ChannelsFirst, s.KeepDims);
        var spatial = s.SpatialAxes(x.Rank).Select(a => (int)a).ToArray();
        if (!s.Average) return OnnxLayerCall.Drop(g.Reduce("ReduceMax", x, spatial, keepDims));
        if (c.Mask is { } mask && x.Rank == 3)
        {
            var weights = g.Unsqueeze(g.Cast(mask, OnnxType.Float), channelsFirst ? 1 : 2);
            return OnnxLayerCall.Drop(g.Div(g.Reduce("ReduceSum", g.Mul(x, weights), spatial, keepDims), g.Reduce("ReduceSum", weights, spatial, keepDims)));
        }
        return OnnxLayerCall.Drop(g.Reduce("ReduceMean", x, spatial, keepDims));
    }
}
