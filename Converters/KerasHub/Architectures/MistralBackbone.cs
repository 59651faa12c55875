namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>MistralBackbone</c> (keras_hub/src/models/mistral/mistral_backbone.py, v0.31.1): the
/// <see cref="GatedDecoderBackbone"/> graph with <c>MistralTransformerDecoder</c> blocks (sliding-window attention,
/// 512 by default, none when <c>sliding_window</c> is null; optional <c>head_dim</c>) and a
/// <c>MistralLayerNormalization</c>; the embeddings are never tied.
/// </summary>
public sealed class MistralBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>MistralBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context) =>
        GatedDecoderBackbone.Build(GatedDecoderBackboneSpec.ReadMistral(arguments), arguments.Name, "MistralTransformerDecoder", "MistralLayerNormalization");
}
