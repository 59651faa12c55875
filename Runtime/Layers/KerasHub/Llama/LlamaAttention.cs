namespace KerasPort.Runtime.Layers.KerasHub.Llama;

/// <summary>
/// KerasHub <c>LlamaAttention</c> (keras_hub/src/models/llama/llama_attention.py): grouped-query self-attention with
/// <see cref="LlamaRotaryEmbedding"/>; see <see cref="CausalSelfAttention"/>.
/// </summary>
public sealed class LlamaAttention(LayerContext context, CausalAttentionSpec spec)
    : CausalSelfAttention(context, spec, (x, start) => LlamaRotaryEmbedding.Apply(x, (LlamaRotaryEmbeddingSpec)spec.Rope, start));
