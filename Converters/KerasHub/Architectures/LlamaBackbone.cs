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
        GatedDecoderBackbone.Build(GatedDecoderBackboneSpec.ReadLlama(arguments), arguments.Name, "LlamaTransformerDecoder", "LlamaLayerNorm");
}
