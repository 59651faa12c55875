namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>What Attention and AdditiveAttention share once they have their scores (reference semantics: Runtime/Layers/Attention/DenseAttention.cs).</summary>
internal static class DenseAttentionLowering
{
    /// <summary>
    /// Attention and AdditiveAttention once they have their <c>[batch, Tq, Tv]</c> scores (attention.py
    /// <c>_calculate_score_mask</c>, <c>_apply_scores</c>): value mask as <c>[batch, 1, Tv]</c>, causal mask, softmax over
    /// Tv, mix of the values, rows the query mask hides zeroed.
    /// </summary>
    internal static OnnxLowered Lower(OnnxLayerCall c, bool causalByConfig, Func<OnnxValue, OnnxValue, OnnxValue> scoresOf)
    {
        var g = c.Graph;
        var inputs = c.Inputs;
        if (inputs.Count is < 2 or > 3) throw new FormatException($"layer '{c.Name}' takes a list of 2 or 3 tensors [query, value, key], got {inputs.Count}");
        OnnxValue? Mask(int index) => c.Kwargs.TryGetValue("mask", out var written)
            ? written is IReadOnlyList<object?> masks && index < masks.Count ? masks[index] as OnnxValue : null
            : c.MaskOf(inputs[index]);
        var (query, value) = (inputs[0], inputs[1]);
        var key = inputs.Count > 2 ? inputs[2] : value;
        var (queryMask, valueMask) = (Mask(0), Mask(1));
        var scores = scoresOf(query, key);
        var scoresMask = valueMask is null ? null : g.Unsqueeze(valueMask, -2);
        if (AttentionMasks.Flag(c, "use_causal_mask") || causalByConfig) scoresMask = AttentionMasks.And(g, scoresMask, AttentionMasks.Causal(c, scores.Dim(-2), scores.Dim(-1)));
        var weights = AttentionMasks.MaskedSoftmax(g, scores, scoresMask, 1);
        var result = g.MatMul(weights, value);
        if (queryMask is not null) result = g.Mul(result, g.Unsqueeze(g.Cast(queryMask, OnnxType.Float), -1));
        return new OnnxLowered(AttentionMasks.Flag(c, "return_attention_scores") ? [result, weights] : [result], queryMask);
    }
}
