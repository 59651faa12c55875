using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The residual and feed-forward blocks and the masks keras_hub's TransformerEncoder and TransformerDecoder lowerings share.</summary>
internal static class ResidualBlocks
{
    /// <summary><c>x + body(norm(x))</c> with normalize_first, else <c>norm(x + body(x))</c> (the runtime's ResidualBlocks).</summary>
    internal static OnnxValue Residual(OnnxLayerCall c, bool normalizeFirst, OnnxValue x, LayerDescription norm, Func<OnnxValue, OnnxValue> body)
    {
        var sum = c.Graph.Add(body(normalizeFirst ? HubCalls.Lower(c, norm, [x], new Dictionary<string, object?>()) : x), x);
        return normalizeFirst ? sum : HubCalls.Lower(c, norm, [sum], new Dictionary<string, object?>());
    }

    /// <summary>The feed-forward block: the intermediate and output Dense sublayers, residual around its layer normalization.</summary>
    internal static OnnxValue FeedForward(OnnxLayerCall c, bool normalizeFirst, int intermediateDim, int hiddenDim, string activation, double epsilon, OnnxValue x)
    {
        var none = new Dictionary<string, object?>();
        var intermediate = HubSublayerDescriptions.Dense(c, "_feedforward_intermediate_dense", intermediateDim, activation);
        var output = HubSublayerDescriptions.Dense(c, "_feedforward_output_dense", hiddenDim);
        return Residual(c, normalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_feedforward_layer_norm", epsilon),
            y => HubCalls.Lower(c, output, [HubCalls.Lower(c, intermediate, [y], none)], none));
    }

    /// <summary>transformer_layer_utils.py <c>merge_padding_and_attention_mask</c>: padding mask <c>(batch, 1, S)</c> and the attention mask, as booleans.</summary>
    internal static OnnxValue? PaddingAndAttentionMask(OnnxLayerCall c, OnnxValue? paddingMask, OnnxValue? attentionMask)
    {
        var g = c.Graph;
        return AttentionMasks.And(g, paddingMask is null ? null : g.Unsqueeze(g.Cast(paddingMask, OnnxType.Bool), 1),
            attentionMask is null ? null : g.Cast(attentionMask, OnnxType.Bool));
    }
}
