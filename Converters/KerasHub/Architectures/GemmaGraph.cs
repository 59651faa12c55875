namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// The functional graph the Gemma backbones' constructors build (gemma_backbone.py, gemma3_backbone.py): token ids
/// through the tied <c>ReversibleEmbedding</c> (<c>logit_soft_cap = final_logit_soft_cap</c>), scaled by
/// <c>sqrt(hidden_dim)</c> (a <c>Multiply</c> op), the decoder blocks with the padding mask, and the final
/// <c>RMSNormalization</c>; inputs <c>padding_mask</c> and <c>token_ids</c> (a dict, so sorted by key).
/// </summary>
internal static class GemmaGraph
{
    /// <summary>The backbone <paramref name="name"/> with <paramref name="blocks"/> (one decoder block config each, in order) of class <paramref name="blockClass"/>.</summary>
    public static ModelDescription Build(GemmaBackboneSpec spec, string name, string blockClass, IReadOnlyList<JsonObject> blocks)
    {
        int vocabulary = spec.VocabularySize, hidden = spec.HiddenDim;
        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var embedding = new JsonObject { ["input_dim"] = vocabulary, ["output_dim"] = hidden, ["tie_weights"] = true };
        if (spec.FinalLogitSoftCap is { } cap) embedding["logit_soft_cap"] = cap;
        var x = graph.Call("token_embedding", "ReversibleEmbedding", embedding, tokenIds);
        // x * ops.cast(ops.sqrt(hidden_dim), x.dtype): the square root of an int is taken in float32.
        x = graph.CallWith("multiply", "ops.Multiply", [], [x, (double)MathF.Sqrt(hidden)], new Dictionary<string, object?>());
        for (int i = 0; i < blocks.Count; i++)
            x = graph.CallWith($"decoder_block_{i}", KerasHubArchitectures.Package + blockClass, blocks[i], [x],
                new Dictionary<string, object?> { ["padding_mask"] = paddingMask });
        var output = graph.Call("final_normalization", KerasHubArchitectures.Package + "RMSNormalization",
            new JsonObject { ["epsilon"] = spec.LayerNormEpsilon }, x);
        return graph.Build(name, [output]);
    }

    /// <summary>The decoder block arguments every Gemma backbone passes through unchanged.</summary>
    public static JsonObject CommonBlockConfig(GemmaBackboneSpec spec)
    {
        var config = new JsonObject
        {
            ["hidden_dim"] = spec.HiddenDim,
            ["intermediate_dim"] = spec.IntermediateDim,
            ["head_dim"] = spec.HeadDim,
            ["num_query_heads"] = spec.NumQueryHeads,
            ["num_key_value_heads"] = spec.NumKeyValueHeads,
            ["query_head_dim_normalize"] = spec.QueryHeadDimNormalize,
            ["use_post_ffw_norm"] = spec.UsePostFfwNorm,
            ["use_post_attention_norm"] = spec.UsePostAttentionNorm,
            ["layer_norm_epsilon"] = spec.LayerNormEpsilon,
            ["dropout"] = spec.Dropout,
        };
        if (spec.AttentionLogitSoftCap is { } cap) config["logit_soft_cap"] = cap;
        return config;
    }
}
