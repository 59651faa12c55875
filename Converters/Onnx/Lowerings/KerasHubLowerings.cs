using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// keras_hub's modeling layers as ONNX nodes (reference semantics: Runtime/Layers/KerasHub/Modeling). The composite
/// layers lower by composing the lowerings of the sublayers the runtime builds (<see cref="HubSublayerDescriptions"/>);
/// dropout is the identity at inference and is left out. Key/value caches (generation) do not export.
/// </summary>
internal static class KerasHubLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<PositionEmbeddingSpec>(table, PositionEmbedding);
        OnnxLowerings.Add<CachedMultiHeadAttentionSpec>(table, CachedMultiHeadAttention);
        OnnxLowerings.Add<TransformerDecoderSpec>(table, TransformerDecoder);
        OnnxLowerings.Add<TransformerEncoderSpec>(table, TransformerEncoder);
    }

    static object? Argument(OnnxLayerCall c, int position, string name) => position < c.Args.Count ? c.Args[position] : c.Kwargs.GetValueOrDefault(name);

    /// <summary>Rows <c>start_index .. start_index + T</c> of the table, expanded to the input's shape (T may be dynamic).</summary>
    static OnnxLowered PositionEmbedding(OnnxLayerCall c, PositionEmbeddingSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        long start = Argument(c, 1, "start_index") switch
        {
            null => 0,
            JsonValue constant => (long)constant,
            _ => throw c.Unsupported("a start_index computed in the graph"),
        };
        c.ExpectWeightCount(1);
        var table = c.Weight(0, "embeddings", s.SequenceLength, c.Weights[0].Value.Shape[^1]);
        var length = g.Slice(g.ShapeOf(x), 0, x.Rank - 2, x.Rank - 1);
        var rows = g.Node("Slice", [table, g.Longs(start), start == 0 ? length : g.Add(length, g.Longs(start)), g.Longs(0)],
            table.Type, [x.Dim(-2), table.Dim(-1)]);
        return c.Pass(g.Expand(rows, g.ShapeOf(x), x.Shape));
    }

    /// <summary>Without a cache, Keras's MultiHeadAttention on the call's query, value, key and attention mask.</summary>
    static OnnxLowered CachedMultiHeadAttention(OnnxLayerCall c, CachedMultiHeadAttentionSpec s)
    {
        if (Argument(c, 4, "cache") is not null || Argument(c, 5, "cache_update_index") is not null)
            throw c.Unsupported("a key/value cache (token-by-token generation)");
        var attention = c.Inner(c.Description with { ClassName = "MultiHeadAttention", Module = null }, c.Args, c.Kwargs, c.Mask);
        return OnnxModelWriter.Lowering(attention)(attention);
    }

    /// <summary>
    /// transformer_decoder.py <c>call</c> without caches or cross-attention: causal self-attention under the padding
    /// and attention masks, then the feed-forward block.
    /// </summary>
    static OnnxLowered TransformerDecoder(OnnxLayerCall c, TransformerDecoderSpec s)
    {
        var g = c.Graph;
        if (s.HasCrossAttention) throw c.Unsupported("cross-attention");
        if (Argument(c, 6, "self_attention_cache") is not null) throw c.Unsupported("a key/value cache (token-by-token generation)");
        var x = Argument(c, 0, "decoder_sequence") as OnnxValue ?? throw new FormatException($"layer '{c.Name}' is called without a decoder_sequence");
        var mask = PaddingAndAttentionMask(c, Argument(c, 2, "decoder_padding_mask") as OnnxValue ?? c.MaskOf(x), Argument(c, 3, "decoder_attention_mask") as OnnxValue);
        if (Argument(c, 10, "use_causal_mask") is not JsonValue flag || !flag.TryGetValue<bool>(out var causal) || causal)
            mask = AttentionLowerings.And(g, mask, CausalMask(g, x));
        var attention = HubSublayerDescriptions.Attention(c, "_self_attention_layer", "self_attention", s.AttentionClass, s.NumHeads, s.HeadDim, s.Dropout);
        x = Residual(c, s.NormalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_self_attention_layer_norm", s.LayerNormEpsilon),
            y => Lower(c, attention, [y, y], new Dictionary<string, object?> { ["attention_mask"] = mask }));
        return c.Pass(FeedForward(c, s.NormalizeFirst, s.IntermediateDim, s.HiddenDim, s.Activation, s.LayerNormEpsilon, x));
    }

    /// <summary>transformer_encoder.py <c>call</c>: self-attention under the padding and attention masks, then the feed-forward block.</summary>
    static OnnxLowered TransformerEncoder(OnnxLayerCall c, TransformerEncoderSpec s)
    {
        var x = Argument(c, 0, "inputs") as OnnxValue ?? throw new FormatException($"layer '{c.Name}' is called without inputs");
        if (Argument(c, 4, "return_attention_scores") is JsonValue flag && flag.TryGetValue<bool>(out var scores) && scores)
            throw c.Unsupported("return_attention_scores=True");
        var mask = PaddingAndAttentionMask(c, Argument(c, 1, "padding_mask") as OnnxValue ?? c.MaskOf(x), Argument(c, 2, "attention_mask") as OnnxValue);
        var attention = HubSublayerDescriptions.Attention(c, "_self_attention_layer", "self_attention_layer", s.AttentionClass, s.NumHeads, s.HeadDim, s.Dropout);
        x = Residual(c, s.NormalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_self_attention_layer_norm", s.LayerNormEpsilon),
            y => Lower(c, attention, [y, y], mask is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["attention_mask"] = mask }));
        return c.Pass(FeedForward(c, s.NormalizeFirst, s.IntermediateDim, s.HiddenDim, s.Activation, s.LayerNormEpsilon, x));
    }

    /// <summary>The first output of sublayer <paramref name="sublayer"/>'s lowering on <paramref name="args"/>.</summary>
    static OnnxValue Lower(OnnxLayerCall c, LayerDescription sublayer, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var call = c.Inner(sublayer, args, kwargs, null);
        return OnnxModelWriter.Lowering(call)(call).Outputs[0];
    }

    /// <summary><c>x + body(norm(x))</c> with normalize_first, else <c>norm(x + body(x))</c> (the runtime's ResidualBlocks).</summary>
    static OnnxValue Residual(OnnxLayerCall c, bool normalizeFirst, OnnxValue x, LayerDescription norm, Func<OnnxValue, OnnxValue> body)
    {
        var sum = c.Graph.Add(body(normalizeFirst ? Lower(c, norm, [x], new Dictionary<string, object?>()) : x), x);
        return normalizeFirst ? sum : Lower(c, norm, [sum], new Dictionary<string, object?>());
    }

    static OnnxValue FeedForward(OnnxLayerCall c, bool normalizeFirst, int intermediateDim, int hiddenDim, string activation, double epsilon, OnnxValue x)
    {
        var none = new Dictionary<string, object?>();
        var intermediate = HubSublayerDescriptions.Dense(c, "_feedforward_intermediate_dense", intermediateDim, activation);
        var output = HubSublayerDescriptions.Dense(c, "_feedforward_output_dense", hiddenDim);
        return Residual(c, normalizeFirst, x, HubSublayerDescriptions.LayerNorm(c, "_feedforward_layer_norm", epsilon),
            y => Lower(c, output, [Lower(c, intermediate, [y], none)], none));
    }

    /// <summary>transformer_layer_utils.py <c>merge_padding_and_attention_mask</c>: padding mask <c>(batch, 1, S)</c> and the attention mask, as booleans.</summary>
    static OnnxValue? PaddingAndAttentionMask(OnnxLayerCall c, OnnxValue? paddingMask, OnnxValue? attentionMask)
    {
        var g = c.Graph;
        return AttentionLowerings.And(g, paddingMask is null ? null : g.Unsqueeze(g.Cast(paddingMask, OnnxType.Bool), 1),
            attentionMask is null ? null : g.Cast(attentionMask, OnnxType.Bool));
    }

    /// <summary>transformer_layer_utils.py <c>compute_causal_mask</c> for a sequence of dynamic length T: <c>(1, T, T)</c>, i &gt;= j.</summary>
    static OnnxValue CausalMask(OnnxGraph g, OnnxValue sequence)
    {
        var length = g.Gather(g.ShapeOf(sequence), g.LongTensor([1]), 0);
        var positions = g.Node("Range", [g.LongTensor([0]), length, g.LongTensor([1])], OnnxType.Int64, [sequence.Dim(1)]);
        return g.Unsqueeze(g.Compare("GreaterOrEqual", g.Unsqueeze(positions, 1), g.Unsqueeze(positions, 0)), 0);
    }
}
