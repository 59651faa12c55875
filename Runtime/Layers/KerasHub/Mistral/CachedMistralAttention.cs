using KerasPort.Runtime.Layers.KerasHub.Llama;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Mistral;

/// <summary>
/// KerasHub <c>CachedMistralAttention</c> (keras_hub/src/models/mistral/mistral_attention.py): Llama's grouped-query
/// self-attention with KerasHub's <see cref="RotaryEmbedding"/>, an optional <c>head_dim</c> and the decoder's sliding
/// window; see <see cref="CausalSelfAttention"/>.
/// </summary>
public sealed class CachedMistralAttention(LayerContext context, CausalAttentionSpec spec)
    : CausalSelfAttention(context, spec, (x, start) => RotaryEmbedding.Apply(x, (RotaryEmbeddingSpec)spec.Rope, start));
