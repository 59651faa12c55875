using KerasPort.Runtime.Layers.KerasHub.Llama;

namespace KerasPort.Runtime.Layers.KerasHub.Mistral;

/// <summary>
/// KerasHub <c>MistralTransformerDecoder</c> (keras_hub/src/models/mistral/mistral_transformer_decoder.py): Llama's
/// decoder block with <see cref="CachedMistralAttention"/> (and its sliding window) and
/// <see cref="MistralLayerNormalization"/>; see <see cref="GatedDecoder"/>.
/// </summary>
public sealed class MistralTransformerDecoder(LayerContext context, GatedDecoderSpec spec)
    : GatedDecoder(context, spec, (c, s) => new CachedMistralAttention(c, s), (c, s) => new MistralLayerNormalization(c, s));
