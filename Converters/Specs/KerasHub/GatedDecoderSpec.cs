namespace KerasPort.Specs.KerasHub;

/// <summary>
/// The pre-norm decoder block of KerasHub's Llama-style backbones, one computation with options
/// (keras_hub/src/models/llama/llama_decoder.py <c>LlamaTransformerDecoder</c>,
/// mistral/mistral_transformer_decoder.py <c>MistralTransformerDecoder</c>, qwen/qwen_decoder.py
/// <c>QwenTransformerDecoder</c>, v0.31.1): <c>x + attention(norm(x))</c>, then
/// <c>x + output_dense(intermediate_dense(norm(x)) * activation(gate_dense(norm(x))))</c> (SwiGLU with silu), the
/// norms RMS norms, the dense layers without bias, under a causal mask merged with the padding mask.
/// </summary>
/// <param name="IntermediateDim"><c>intermediate_dim</c>, the gated feed-forward width.</param>
/// <param name="Attention">The self-attention (its class and arguments follow the decoder's).</param>
/// <param name="AttentionClass">The attention's KerasHub class (<see cref="CausalAttentionSpec.Llama"/>, ...).</param>
/// <param name="NormClass">The norm's KerasHub class (<c>LlamaLayerNorm</c>, ...).</param>
/// <param name="Epsilon"><c>layer_norm_epsilon</c> (1e-5).</param>
/// <param name="Activation">The gate's activation (<c>silu</c>).</param>
/// <param name="Dropout">The dropout rate (inactive at inference).</param>
public sealed record GatedDecoderSpec(int IntermediateDim, CausalAttentionSpec Attention, string AttentionClass, string NormClass, double Epsilon,
    string Activation, double Dropout) : LayerSpec, ILayerSpec<GatedDecoderSpec>
{
    // Decoder class -> (attention class, norm class), as each decoder's build() creates them.
    static readonly Dictionary<string, (string Attention, string Norm)> Families = new()
    {
        ["LlamaTransformerDecoder"] = (CausalAttentionSpec.Llama, "LlamaLayerNorm"),
        ["MistralTransformerDecoder"] = (CausalAttentionSpec.Mistral, "MistralLayerNormalization"),
        ["QwenTransformerDecoder"] = (CausalAttentionSpec.Qwen, "QwenLayerNorm"),
    };

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = [.. Families.Keys.Select(c => "keras_hub>" + c)];

    /// <inheritdoc />
    public static GatedDecoderSpec Read(LayerReader layer)
    {
        if (!Families.TryGetValue(layer.ClassName, out var family))
            throw new ArgumentException($"'{layer.ClassName}' is not a Llama-style KerasHub decoder class", nameof(layer));
        return new(layer.IntAtLeast("intermediate_dim", 0, 1), CausalAttentionSpec.ReadFor(layer, family.Attention), family.Attention, family.Norm,
            layer.DoubleAtLeast("layer_norm_epsilon", 1e-5, 0), layer.ActivationName(), layer.DoubleAtLeast("dropout", 0, 0));
    }
}
