namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments that KerasHub's Llama, Mistral and Qwen backbones share (llama/llama_backbone.py,
/// mistral/mistral_backbone.py, qwen/qwen_backbone.py <c>__init__</c>, v0.31.1): Keras-hub's names and defaults,
/// validated, with the family's own arguments, which the backbone passes on to every decoder block as given (the
/// decoder's spec validates them).
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c>.</param>
/// <param name="NumQueryHeads"><c>num_query_heads</c>.</param>
/// <param name="NumKeyValueHeads"><c>num_key_value_heads</c>, which divides <paramref name="NumQueryHeads"/>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="RopeMaxWavelength"><c>rope_max_wavelength</c> (10000).</param>
/// <param name="LayerNormEpsilon"><c>layer_norm_epsilon</c> (1e-6).</param>
/// <param name="Dropout"><c>dropout</c> (0).</param>
/// <param name="TieWordEmbeddings"><c>tie_word_embeddings</c> (Llama False, Qwen True; Mistral never ties).</param>
/// <param name="DecoderArguments">The family's own arguments, by name, with the backbone's defaults.</param>
internal sealed record GatedDecoderBackboneSpec(
    int VocabularySize, int NumLayers, int NumQueryHeads, int NumKeyValueHeads, int HiddenDim, int IntermediateDim,
    double RopeMaxWavelength, double LayerNormEpsilon, double Dropout, bool TieWordEmbeddings, IReadOnlyDictionary<string, JsonNode?> DecoderArguments)
{
    /// <summary>
    /// <c>LlamaBackbone</c> (llama/llama_backbone.py): untied unless <c>tie_word_embeddings</c>; the Llama 3.1 RoPE
    /// arguments <c>rope_position_scaling_factor</c> (1.0), <c>rope_frequency_adjustment_factor</c>,
    /// <c>rope_low_freq_factor</c>, <c>rope_high_freq_factor</c> and <c>rope_pretraining_sequence_length</c> (None).
    /// </summary>
    public static GatedDecoderBackboneSpec ReadLlama(LayerReader arguments) => Read(arguments, arguments.Bool("tie_word_embeddings", false),
        ("rope_position_scaling_factor", 1.0), ("rope_frequency_adjustment_factor", null), ("rope_low_freq_factor", null),
        ("rope_high_freq_factor", null), ("rope_pretraining_sequence_length", null));

    /// <summary>
    /// <c>MistralBackbone</c> (mistral/mistral_backbone.py): never tied; <c>rope_scaling_factor</c> (1.0),
    /// <c>sliding_window</c> (512; None: no window) and <c>head_dim</c> (None).
    /// </summary>
    public static GatedDecoderBackboneSpec ReadMistral(LayerReader arguments) => Read(arguments, false,
        ("rope_scaling_factor", 1.0), ("sliding_window", 512), ("head_dim", null));

    /// <summary>
    /// <c>QwenBackbone</c> (qwen/qwen_backbone.py, Qwen 2): tied unless <c>tie_word_embeddings</c> is false;
    /// <c>rope_scaling_factor</c> (1.0), <c>use_sliding_window_attention</c> (False) and <c>sliding_window_size</c> (32768).
    /// </summary>
    public static GatedDecoderBackboneSpec ReadQwen(LayerReader arguments) => Read(arguments, arguments.Bool("tie_word_embeddings", true),
        ("rope_scaling_factor", 1.0), ("use_sliding_window_attention", false), ("sliding_window_size", 32768));

    static GatedDecoderBackboneSpec Read(LayerReader arguments, bool tieWordEmbeddings, params (string Key, JsonNode? Default)[] decoderArguments)
    {
        var spec = new GatedDecoderBackboneSpec(
            arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 1),
            arguments.IntAtLeast("num_query_heads", 0, 1), arguments.IntAtLeast("num_key_value_heads", 0, 1),
            arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1),
            arguments.Double("rope_max_wavelength", 10000), arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0),
            arguments.DoubleAtLeast("dropout", 0, 0), tieWordEmbeddings,
            // Passed on as given (None included), or the backbone's default where absent.
            decoderArguments.ToDictionary(a => a.Key, a => arguments.Config.TryGetPropertyValue(a.Key, out var value) ? value?.DeepClone() : a.Default));
        return spec.NumQueryHeads % spec.NumKeyValueHeads == 0 ? spec : throw arguments.ConfigError("num_key_value_heads", "must divide num_query_heads");
    }
}
