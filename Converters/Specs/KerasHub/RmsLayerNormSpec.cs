namespace KerasPort.Specs.KerasHub;

/// <summary>
/// The RMS norms of KerasHub's Llama-style models (keras_hub/src/models/llama/llama_layernorm.py
/// <c>LlamaLayerNorm</c>, mistral/mistral_layer_norm.py <c>MistralLayerNormalization</c>, qwen/qwen_layernorm.py
/// <c>QwenLayerNorm</c>, v0.31.1, the same code): in float32, <c>x * rsqrt(mean(x^2, -1) + epsilon) * scale</c>.
/// Not Gemma's <c>(1 + scale)</c> norm. One weight, <c>scale</c>, of the feature size.
/// </summary>
/// <param name="Epsilon"><c>epsilon</c> (1e-6).</param>
public sealed record RmsLayerNormSpec(double Epsilon) : LayerSpec, ILayerSpec<RmsLayerNormSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } =
        ["keras_hub>LlamaLayerNorm", "keras_hub>MistralLayerNormalization", "keras_hub>QwenLayerNorm"];

    /// <inheritdoc />
    public static RmsLayerNormSpec Read(LayerReader layer) => new(layer.DoubleAtLeast("epsilon", 1e-6, 0));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => [new WeightRole("scale")];
}
