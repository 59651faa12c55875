namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments that KerasHub's Llama, Mistral and Qwen backbones share (llama/llama_backbone.py,
/// mistral/mistral_backbone.py, qwen/qwen_backbone.py <c>__init__</c>, v0.31.1): Keras-hub's names and defaults,
/// validated. Each family's own arguments are in <see cref="LlamaBackboneSpec"/>, <see cref="MistralBackboneSpec"/>
/// and <see cref="QwenBackboneSpec"/>.
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
internal sealed record GatedDecoderBackboneSpec(
    int VocabularySize, int NumLayers, int NumQueryHeads, int NumKeyValueHeads, int HiddenDim, int IntermediateDim,
    double RopeMaxWavelength, double LayerNormEpsilon, double Dropout)
{
    /// <summary>Reads the shared arguments.</summary>
    public static GatedDecoderBackboneSpec Read(LayerReader arguments)
    {
        var spec = new GatedDecoderBackboneSpec(
            arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 1),
            arguments.IntAtLeast("num_query_heads", 0, 1), arguments.IntAtLeast("num_key_value_heads", 0, 1),
            arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1),
            arguments.Double("rope_max_wavelength", 10000), arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0),
            arguments.DoubleAtLeast("dropout", 0, 0));
        return spec.NumQueryHeads % spec.NumKeyValueHeads == 0 ? spec : throw arguments.ConfigError("num_key_value_heads", "must divide num_query_heads");
    }

    /// <summary>
    /// A family argument the backbone passes on to its decoder blocks as given (None included), or <paramref name="fallback"/>
    /// when absent; the decoder's spec validates it.
    /// </summary>
    internal static JsonNode? PassedOn(LayerReader arguments, string key, JsonNode? fallback) =>
        arguments.Config.TryGetPropertyValue(key, out var value) ? value?.DeepClone() : fallback;
}
