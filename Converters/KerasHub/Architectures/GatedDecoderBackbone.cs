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
    /// Builds the backbone <paramref name="name"/> from <paramref name="spec"/>. <paramref name="decoderClass"/> and
    /// <paramref name="normClass"/> are the family's KerasHub classes; the family's own decoder arguments are passed on
    /// to every block with the common ones.
    /// </summary>
    public static ModelDescription Build(GatedDecoderBackboneSpec spec, string name, string decoderClass, string normClass)
    {
        double epsilon = spec.LayerNormEpsilon;
        var decoderConfig = new JsonObject
        {
            ["intermediate_dim"] = spec.IntermediateDim,
            ["num_query_heads"] = spec.NumQueryHeads,
            ["num_key_value_heads"] = spec.NumKeyValueHeads,
            ["rope_max_wavelength"] = spec.RopeMaxWavelength,
            ["layer_norm_epsilon"] = epsilon,
            ["activation"] = "silu",
            ["dropout"] = spec.Dropout,
        };
        foreach (var (key, value) in spec.DecoderArguments) decoderConfig[key] = value?.DeepClone();

        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var x = graph.Call("token_embedding", "ReversibleEmbedding", new JsonObject
        {
            ["input_dim"] = spec.VocabularySize, ["output_dim"] = spec.HiddenDim, ["tie_weights"] = spec.TieWordEmbeddings,
        }, tokenIds);
        for (int i = 0; i < spec.NumLayers; i++)
            x = graph.CallWith($"transformer_layer_{i}", KerasHubArchitectures.Package + decoderClass, (JsonObject)decoderConfig.DeepClone(),
                [x], new Dictionary<string, object?> { ["decoder_padding_mask"] = paddingMask });
        var output = graph.Call("sequence_output_layernorm", KerasHubArchitectures.Package + normClass, new JsonObject { ["epsilon"] = epsilon }, x);
        return graph.Build(name, [output]);
    }
}
