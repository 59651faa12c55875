using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's TransformerDecoder as its sublayers' lowerings (reference semantics: Runtime/Layers/KerasHub/Modeling/TransformerDecoder.cs).</summary>
internal static class TransformerDecoderLowering
{
    /// <summary>
    /// transformer_decoder.py <c>call</c> without caches or cross-attention: causal self-attention under the padding
    /// and attention masks, then the feed-forward block.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, TransformerDecoderSpec s)
    {
        var g = c.Graph;
        if (s.HasCrossAttention) throw c.Unsupported("cross-attention");
        if (HubCalls.Argument(c, 6, "self_attention_cache") is not null) throw c.Unsupported("a key/value cache (token-by-token generation)");
        var x = HubCalls.Argument(c, 0, "decoder_sequence") as OnnxValue ?? throw new FormatException($"layer '{c.Name}' is called without a decoder_sequence");
        var mask = ResidualBlocks.PaddingAndAttentionMask(c, HubCalls.Argument(c, 2, "decoder_padding_mask") as OnnxValue ?? c.MaskOf(x), HubCalls.Argument(c, 3, "decoder_attention_mask") as OnnxValue);
        if (HubCalls.Argument(c, 10, "use_causal_mask") is not JsonValue flag || !flag.TryGetValue<bool>(out var causal) || causal)
            mask = AttentionMasks.And(g, mask, CausalMask(g, x));
        var attention = HubSublayerDescriptions.Attention(c, "_self_attention_layer", "self_attention", s.AttentionClass, s.NumHeads, s.HeadDim, s.Dropout);
        x = ResidualBlocks.Residual(c, s.NormalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_self_attention_layer_norm", s.LayerNormEpsilon),
            y => HubCalls.Lower(c, attention, [y, y], new Dictionary<string, object?> { ["attention_mask"] = mask }));
        return c.Pass(ResidualBlocks.FeedForward(c, s.NormalizeFirst, s.IntermediateDim, s.HiddenDim, s.Activation, s.LayerNormEpsilon, x));
    }

    /// <summary>transformer_layer_utils.py <c>compute_causal_mask</c> for a sequence of dynamic length T: <c>(1, T, T)</c>, i &gt;= j.</summary>
    static OnnxValue CausalMask(OnnxGraph g, OnnxValue sequence)
    {
        var length = g.Gather(g.ShapeOf(sequence), g.LongTensor([1]), 0);
        var positions = g.Node("Range", [g.LongTensor([0]), length, g.LongTensor([1])], OnnxType.Int64, [sequence.Dim(1)]);
        return g.Unsqueeze(g.Compare("GreaterOrEqual", g.Unsqueeze(positions, 1), g.Unsqueeze(positions, 0)), 0);
    }
}
