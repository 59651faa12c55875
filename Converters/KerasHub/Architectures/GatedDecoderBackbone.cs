namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// The functional graph shared by KerasHub's Llama, Mistral and Qwen backbones (llama/llama_backbone.py,
/// mistral/mistral_backbone.py, qwen/qwen_backbone.py <c>__init__</c>, v0.31.1): <c>token_ids</c> through the
/// <c>ReversibleEmbedding</c> <c>token_embedding</c>, <c>num_layers</c> decoder blocks <c>transformer_layer_{i}</c>
/// called with <c>decoder_padding_mask=padding_mask</c>, and the RMS norm <c>sequence_output_layernorm</c>.
/// </summary>
internal static class GatedDecoderBackbone
{
    /// <summary>
    /// Builds the backbone. <paramref name="decoderClass"/> and <paramref name="normClass"/> are the family's KerasHub
    /// classes; <paramref name="decoderArguments"/> the family's own decoder arguments with the backbone's defaults
    /// (passed on to every block with the common ones); <paramref name="tieWeights"/> the embedding's <c>tie_weights</c>.
    /// </summary>
    public static ModelDescription Build(LayerReader arguments, string decoderClass, string normClass, bool tieWeights,
        IReadOnlyList<(string Key, JsonNode? Default)> decoderArguments)
    {
        int vocabularySize = arguments.IntAtLeast("vocabulary_size", 0, 1);
        int numLayers = arguments.IntAtLeast("num_layers", 0, 1);
        int hiddenDim = arguments.IntAtLeast("hidden_dim", 0, 1);
        double epsilon = arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0);
        var decoderConfig = new JsonObject
        {
            ["intermediate_dim"] = arguments.IntAtLeast("intermediate_dim", 0, 1),
            ["num_query_heads"] = arguments.IntAtLeast("num_query_heads", 0, 1),
            ["num_key_value_heads"] = arguments.IntAtLeast("num_key_value_heads", 0, 1),
            ["rope_max_wavelength"] = arguments.Double("rope_max_wavelength", 10000),
            ["layer_norm_epsilon"] = epsilon,
            ["activation"] = "silu",
            ["dropout"] = arguments.DoubleAtLeast("dropout", 0, 0),
        };
        foreach (var (key, fallback) in decoderArguments)
            decoderConfig[key] = arguments.Config.ContainsKey(key) ? arguments.Config[key]?.DeepClone() : fallback?.DeepClone();
        if (decoderConfig["num_query_heads"]!.GetValue<int>() % decoderConfig["num_key_value_heads"]!.GetValue<int>() != 0)
            throw arguments.ConfigError("num_key_value_heads", "must divide num_query_heads");

        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var x = graph.Call("token_embedding", "ReversibleEmbedding", new JsonObject
        {
            ["input_dim"] = vocabularySize, ["output_dim"] = hiddenDim, ["tie_weights"] = tieWeights,
        }, tokenIds);
        for (int i = 0; i < numLayers; i++)
            x = graph.CallWith($"transformer_layer_{i}", KerasHubArchitectures.Package + decoderClass, (JsonObject)decoderConfig.DeepClone(),
                [x], new Dictionary<string, object?> { ["decoder_padding_mask"] = paddingMask });
        var output = graph.Call("sequence_output_layernorm", KerasHubArchitectures.Package + normClass, new JsonObject { ["epsilon"] = epsilon }, x);
        return graph.Build(arguments.Name, [output]);
    }
}
