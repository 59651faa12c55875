namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>LlamaBackbone</c>'s arguments (keras_hub/src/models/llama/llama_backbone.py, v0.31.1): the shared ones
/// and the Llama 3.1 RoPE frequency arguments, passed on to every <c>LlamaTransformerDecoder</c>.
/// </summary>
/// <param name="Shared">The arguments of every gated-decoder backbone.</param>
/// <param name="TieWordEmbeddings"><c>tie_word_embeddings</c> (False).</param>
/// <param name="DecoderArguments"><c>rope_position_scaling_factor</c> (1.0), <c>rope_frequency_adjustment_factor</c>, <c>rope_low_freq_factor</c>, <c>rope_high_freq_factor</c>, <c>rope_pretraining_sequence_length</c> (None).</param>
internal sealed record LlamaBackboneSpec(GatedDecoderBackboneSpec Shared, bool TieWordEmbeddings, IReadOnlyDictionary<string, JsonNode?> DecoderArguments)
{
    /// <summary>Reads a <c>LlamaBackbone</c>'s arguments.</summary>
    public static LlamaBackboneSpec Read(LayerReader arguments) => new(GatedDecoderBackboneSpec.Read(arguments), arguments.Bool("tie_word_embeddings", false),
        new Dictionary<string, JsonNode?>
        {
            ["rope_position_scaling_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_position_scaling_factor", 1.0),
            ["rope_frequency_adjustment_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_frequency_adjustment_factor", null),
            ["rope_low_freq_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_low_freq_factor", null),
            ["rope_high_freq_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_high_freq_factor", null),
            ["rope_pretraining_sequence_length"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_pretraining_sequence_length", null),
        });
}
