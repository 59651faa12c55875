namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>LlamaBackbone</c> (keras_hub/src/models/llama/llama_backbone.py, v0.31.1): the
/// <see cref="GatedDecoderBackbone"/> graph with <c>LlamaTransformerDecoder</c> blocks (Llama RoPE, with the Llama 3.1
/// frequency arguments) and a <c>LlamaLayerNorm</c>; untied embeddings unless <c>tie_word_embeddings</c>.
/// </summary>
public sealed class LlamaBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>LlamaBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context) =>
        GatedDecoderBackbone.Build(arguments, "LlamaTransformerDecoder", "LlamaLayerNorm", arguments.Bool("tie_word_embeddings", false),
        [
            ("rope_position_scaling_factor", 1.0), ("rope_frequency_adjustment_factor", null), ("rope_low_freq_factor", null),
            ("rope_high_freq_factor", null), ("rope_pretraining_sequence_length", null),
        ]);
}
