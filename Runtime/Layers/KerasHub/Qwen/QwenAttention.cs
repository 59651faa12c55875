using KerasPort.Runtime.Layers.KerasHub.Llama;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Qwen;

/// <summary>
/// KerasHub <c>QwenAttention</c> (keras_hub/src/models/qwen/qwen_attention.py): Llama's grouped-query self-attention
/// with query, key and value biases, KerasHub's <see cref="RotaryEmbedding"/> and an optional sliding window; see
/// <see cref="CausalSelfAttention"/>.
/// </summary>
public sealed class QwenAttention(LayerContext context, CausalAttentionSpec spec)
    : CausalSelfAttention(context, spec, (x, start) => RotaryEmbedding.Apply(x, (RotaryEmbeddingSpec)spec.Rope, start));
