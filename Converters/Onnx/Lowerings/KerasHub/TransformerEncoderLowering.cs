using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's TransformerEncoder as its sublayers' lowerings (reference semantics: Runtime/Layers/KerasHub/Modeling/TransformerEncoder.cs).</summary>
internal static class TransformerEncoderLowering
{
    /// <summary>transformer_encoder.py <c>call</c>: self-attention under the padding and attention masks, then the feed-forward block.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, TransformerEncoderSpec s)
    {
        var x = HubCalls.Argument(c, 0, "inputs") as OnnxValue ?? throw new FormatException($"layer '{c.Name}' is called without inputs");
        if (HubCalls.Argument(c, 4, "return_attention_scores") is JsonValue flag && flag.TryGetValue<bool>(out var scores) && scores)
            throw c.Unsupported("return_attention_scores=True");
        var mask = ResidualBlocks.PaddingAndAttentionMask(c, HubCalls.Argument(c, 1, "padding_mask") as OnnxValue ?? c.MaskOf(x), HubCalls.Argument(c, 2, "attention_mask") as OnnxValue);
        var attention = HubSublayerDescriptions.Attention(c, "_self_attention_layer", "self_attention_layer", s.AttentionClass, s.NumHeads, s.HeadDim, s.Dropout);
        x = ResidualBlocks.Residual(c, s.NormalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_self_attention_layer_norm", s.LayerNormEpsilon),
            y => HubCalls.Lower(c, attention, [y, y], mask is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["attention_mask"] = mask }));
        return c.Pass(ResidualBlocks.FeedForward(c, s.NormalizeFirst, s.IntermediateDim, s.HiddenDim, s.Activation, s.LayerNormEpsilon, x));
    }
}
