namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>AdditiveAttention (Bahdanau-style) as ONNX nodes (reference semantics: Runtime/Layers/Attention/AdditiveAttention.cs).</summary>
internal static class AdditiveAttentionLowering
{
    /// <summary>AdditiveAttention: <see cref="DenseAttentionLowering"/> over <see cref="AdditiveScores"/>.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, AdditiveAttentionSpec s) =>
        DenseAttentionLowering.Lower(c, s.Causal, (query, key) => AdditiveScores(c, s, query, key));

    /// <summary>AdditiveAttention: <c>sum(scale * tanh(query + key), -1)</c>.</summary>
    static OnnxValue AdditiveScores(OnnxLayerCall c, AdditiveAttentionSpec spec, OnnxValue query, OnnxValue key)
    {
        var g = c.Graph;
        bool useScale = spec.UseScale;
        c.ExpectWeightCount(spec.WeightRoles.Count);
        var tanh = g.Unary("Tanh", g.Add(g.Unsqueeze(query, -2), g.Unsqueeze(key, -3)));
        return g.Reduce("ReduceSum", useScale ? g.Mul(c.Weight(0, "scale", query.Dim(-1)), tanh) : tanh, [-1], keepDims: false);
    }
}
