namespace KerasPort.Specs.KerasHub;

/// <summary>
/// KerasHub's <c>GemmaDecoderBlock</c> (keras_hub/src/models/gemma/gemma_decoder_block.py) and
/// <c>Gemma3DecoderBlock</c> (keras_hub/src/models/gemma3/gemma3_decoder_block.py): a pre-norm decoder with
/// <c>CachedGemmaAttention</c> / <c>CachedGemma3Attention</c> (grouped-query attention with RoPE, optional logit soft
/// cap and sliding window) and a GeGLU feed-forward network of width <c>intermediate_dim / gate_dim_reduction</c>, with
/// optional post-attention and post-FFW norms. Both blocks build their attention with
/// <c>query_head_dim_normalize=True</c> whatever their own argument says, so queries are always scaled by
/// <c>head_dim^-0.5</c>.
/// </summary>
/// <param name="HiddenDim">The model width.</param>
/// <param name="IntermediateDim">The FFN's nominal width (each gate is <c>IntermediateDim / GateDimReduction</c> wide).</param>
/// <param name="HeadDim">Width of each attention head.</param>
/// <param name="NumQueryHeads">Query heads.</param>
/// <param name="NumKeyValueHeads">Key/value heads (divides <paramref name="NumQueryHeads"/>).</param>
/// <param name="UseQueryKeyNorm">Gemma 3: RMS-normalize queries and keys per head before RoPE.</param>
/// <param name="UsePostAttentionNorm">Normalize the attention output before the residual.</param>
/// <param name="UsePostFfwNorm">Normalize the FFN output before the residual.</param>
/// <param name="GateDimReduction">Divides <paramref name="IntermediateDim"/> (Gemma: 2; Gemma 3's backbone passes 1).</param>
/// <param name="LogitSoftCap">Attention logits become <c>tanh(l / cap) * cap</c>, or null.</param>
/// <param name="UseSlidingWindowAttention">Keys farther than <paramref name="SlidingWindowSize"/> - 1 positions are masked.</param>
/// <param name="SlidingWindowSize">The window.</param>
/// <param name="LayerNormEpsilon">The block's norms' epsilon (the query/key norms keep 1e-6, as the attention is built without it).</param>
/// <param name="RopeWavelength">RoPE's <c>max_wavelength</c> (Gemma: 10000).</param>
/// <param name="RopeScalingFactor">RoPE's <c>scaling_factor</c> (Gemma: 1).</param>
/// <param name="InterleaveRotatedHalves">
/// Gemma 1/2: after RoPE the attention reorders the head features as <c>reshape(stack(split(x, 2), -1))</c>
/// (gemma_attention.py <c>_apply_rope</c>); Gemma 3 does not.
/// </param>
public sealed record GemmaDecoderBlockSpec(
    int HiddenDim, int IntermediateDim, int HeadDim, int NumQueryHeads, int NumKeyValueHeads,
    bool UseQueryKeyNorm, bool UsePostAttentionNorm, bool UsePostFfwNorm, int GateDimReduction,
    double? LogitSoftCap, bool UseSlidingWindowAttention, int SlidingWindowSize, double LayerNormEpsilon,
    double RopeWavelength, double RopeScalingFactor, bool InterleaveRotatedHalves) : LayerSpec, ILayerSpec<GemmaDecoderBlockSpec>
{
    const string Gemma3 = "Gemma3DecoderBlock";

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>GemmaDecoderBlock", "keras_hub>" + Gemma3];

    /// <summary>The width of each FFN gate.</summary>
    public int FeedForwardDim => IntermediateDim / GateDimReduction;

    /// <inheritdoc />
    public static GemmaDecoderBlockSpec Read(LayerReader layer)
    {
        bool gemma3 = layer.ClassName == Gemma3;
        int queryHeads = layer.IntAtLeast("num_query_heads", 0, 1), keyValueHeads = layer.IntAtLeast("num_key_value_heads", 0, 1);
        if (queryHeads % keyValueHeads != 0)
            throw layer.ConfigError("num_key_value_heads", $"must divide num_query_heads ({queryHeads}), not {keyValueHeads}");
        if (gemma3 && layer.Bool("use_bidirectional_attention", false))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, "use_bidirectional_attention=True (Gemma 3 embedding models) is not supported");
        if (layer.Double("dropout", 0) is var dropout && dropout is < 0 or >= 1)
            throw layer.ConfigError("dropout", $"must be in [0, 1), not {dropout}");
        int headDim = layer.IntAtLeast("head_dim", 0, 2);
        if (headDim % 2 != 0) throw layer.ConfigError("head_dim", $"must be even (RoPE rotates halves), not {headDim}");
        return new(
            layer.IntAtLeast("hidden_dim", 0, 1), layer.IntAtLeast("intermediate_dim", 0, 1), headDim, queryHeads, keyValueHeads,
            gemma3 && layer.Bool("use_query_key_norm", false),
            layer.Bool("use_post_attention_norm", false), layer.Bool("use_post_ffw_norm", false),
            gemma3 ? layer.IntAtLeast("gate_dim_reduction", 2, 1) : 2,
            layer.Has("logit_soft_cap") ? layer.Double("logit_soft_cap", 0) : null,
            layer.Bool("use_sliding_window_attention", false), layer.IntAtLeast("sliding_window_size", 4096, 1),
            layer.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0),
            gemma3 ? layer.Double("rope_wavelength", 10_000) : 10_000, gemma3 ? layer.Double("rope_scaling_factor", 1) : 1,
            InterleaveRotatedHalves: !gemma3);
    }
}
