namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>QwenBackbone</c> (keras_hub/src/models/qwen/qwen_backbone.py, v0.31.1, Qwen 2): the
/// <see cref="GatedDecoderBackbone"/> graph with <c>QwenTransformerDecoder</c> blocks (query, key and value biases,
/// optional sliding window of <c>sliding_window_size</c>, 32768 by default) and a <c>QwenLayerNorm</c>; tied
/// embeddings unless <c>tie_word_embeddings</c> is false.
/// </summary>
public sealed class QwenBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>QwenBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context) =>
        GatedDecoderBackbone.Build(GatedDecoderBackboneSpec.ReadQwen(arguments), arguments.Name, "QwenTransformerDecoder", "QwenLayerNorm");
}
