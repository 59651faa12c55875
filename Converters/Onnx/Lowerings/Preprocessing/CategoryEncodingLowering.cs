namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>CategoryEncoding as ONNX OneHot (reference semantics: Runtime/Layers/Preprocessing/CategoryEncoding.cs).</summary>
internal static class CategoryEncodingLowering
{
    /// <summary>
    /// CategoryEncoding: ids to one_hot, multi_hot or count vectors of length <c>num_tokens</c>; a trailing axis of size 1
    /// is squeezed before one-hot encoding; multi_hot and count reduce over the last input axis.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, CategoryEncodingSpec s)
    {
        var g = c.Graph;
        long tokens = s.NumTokens;
        var mode = s.OutputMode;
        var ids = g.Cast(c.Input, OnnxType.Int64);
        OnnxValue OneHot(OnnxValue indices) => g.Node("OneHot", [indices, g.Longs(tokens), g.Floats([0f, 1f], 2)], OnnxType.Float,
            [.. indices.Shape, tokens], Attr.Int("axis", -1));
        if (mode == "one_hot")
        {
            if (ids.Rank > 1 && ids.Dim(-1) == 1) ids = g.Squeeze(ids, -1);
            return c.Pass(OneHot(ids));
        }
        bool single = ids.Rank == 1;
        var encoded = OneHot(single ? g.Unsqueeze(ids, 0) : ids);
        var reduced = g.Reduce(mode == "count" ? "ReduceSum" : "ReduceMax", encoded, [-2], keepDims: false);
        return c.Pass(single ? g.Squeeze(reduced, 0) : reduced);
    }
}
