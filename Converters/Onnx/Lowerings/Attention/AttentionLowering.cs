namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Attention (Luong-style) as ONNX nodes (reference semantics: Runtime/Layers/Attention/Attention.cs).</summary>
internal static class AttentionLowering
{
    /// <summary>Attention: <see cref="DenseAttentionLowering"/> over <see cref="LuongScores"/>.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, AttentionSpec s) =>
        DenseAttentionLowering.Lower(c, s.Causal, (query, key) => LuongScores(c, s, query, key));

    /// <summary>Attention: <c>query @ key^T</c> (times <c>scale</c>), or with score_mode concat <c>w * sum(tanh(scale * (q + k)), -1)</c>.</summary>
    static OnnxValue LuongScores(OnnxLayerCall c, AttentionSpec spec, OnnxValue query, OnnxValue key)
    {
        var g = c.Graph;
        bool concat = spec.Concat, useScale = spec.UseScale;
        c.ExpectWeightCount(spec.WeightRoles.Count);
        var scale = useScale ? c.Weight(0, "scale") : null;
        if (!concat)
        {
            var dot = g.MatMul(query, g.Transpose(key, [.. Enumerable.Range(0, key.Rank - 2).Select(i => (long)i), key.Rank - 1, key.Rank - 2]));
            return scale is null ? dot : g.Mul(dot, scale);
        }
        var sum = g.Add(g.Unsqueeze(query, -2), g.Unsqueeze(key, -3));
        var tanh = g.Unary("Tanh", scale is null ? sum : g.Mul(scale, sum));
        return g.Mul(c.Weight(useScale ? 1 : 0, "concat_score_weight"), g.Reduce("ReduceSum", tanh, [-1], keepDims: false));
    }
}
