namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// The functional graph the Gemma backbones' constructors build (gemma_backbone.py, gemma3_backbone.py): token ids
/// through the tied <c>ReversibleEmbedding</c> (<c>logit_soft_cap = final_logit_soft_cap</c>), scaled by
/// <c>sqrt(hidden_dim)</c> (a <c>Multiply</c> op), the decoder blocks with the padding mask, and the final
/// <c>RMSNormalization</c>; inputs <c>padding_mask</c> and <c>token_ids</c> (a dict, so sorted by key).
/// </summary>
internal static class GemmaGraph
{
    /// <summary>The backbone with <paramref name="blocks"/> (one decoder block config each, in order) of class <paramref name="blockClass"/>.</summary>
    public static ModelDescription Build(LayerReader arguments, string blockClass, IReadOnlyList<JsonObject> blocks)
    {
        int vocabulary = arguments.IntAtLeast("vocabulary_size", 0, 1), hidden = arguments.IntAtLeast("hidden_dim", 0, 1);
        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var embedding = new JsonObject { ["input_dim"] = vocabulary, ["output_dim"] = hidden, ["tie_weights"] = true };
        if (SoftCap(arguments, "final_logit_soft_cap") is { } cap) embedding["logit_soft_cap"] = cap;
        var x = graph.Call("token_embedding", "ReversibleEmbedding", embedding, tokenIds);
        // x * ops.cast(ops.sqrt(hidden_dim), x.dtype): the square root of an int is taken in float32.
        x = graph.CallWith("multiply", "ops.Multiply", [], [x, (double)MathF.Sqrt(hidden)], new Dictionary<string, object?>());
        for (int i = 0; i < blocks.Count; i++)
            x = graph.CallWith($"decoder_block_{i}", KerasHubArchitectures.Package + blockClass, blocks[i], [x],
                new Dictionary<string, object?> { ["padding_mask"] = paddingMask });
        var output = graph.Call("final_normalization", KerasHubArchitectures.Package + "RMSNormalization",
            new JsonObject { ["epsilon"] = arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0) }, x);
        return graph.Build(arguments.Name, [output]);
    }

    /// <summary>A soft cap argument: a positive number, or null (absent or None).</summary>
    public static double? SoftCap(LayerReader arguments, string key)
    {
        if (!arguments.Has(key)) return null;
        double cap = arguments.Double(key, 0);
        return cap > 0 ? cap : throw arguments.ConfigError(key, $"must be positive or None, not {cap}");
    }

    /// <summary>The decoder block arguments every Gemma backbone passes through unchanged.</summary>
    public static JsonObject CommonBlockConfig(LayerReader arguments)
    {
        var config = new JsonObject
        {
            ["hidden_dim"] = arguments.IntAtLeast("hidden_dim", 0, 1),
            ["intermediate_dim"] = arguments.IntAtLeast("intermediate_dim", 0, 1),
            ["head_dim"] = arguments.IntAtLeast("head_dim", 0, 1),
            ["num_query_heads"] = arguments.IntAtLeast("num_query_heads", 0, 1),
            ["num_key_value_heads"] = arguments.IntAtLeast("num_key_value_heads", 0, 1),
            ["query_head_dim_normalize"] = arguments.Bool("query_head_dim_normalize", true),
            ["use_post_ffw_norm"] = arguments.Bool("use_post_ffw_norm", false),
            ["use_post_attention_norm"] = arguments.Bool("use_post_attention_norm", false),
            ["layer_norm_epsilon"] = arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0),
            ["dropout"] = arguments.Double("dropout", 0),
        };
        if (SoftCap(arguments, "attention_logit_soft_cap") is { } cap) config["logit_soft_cap"] = cap;
        return config;
    }
}
