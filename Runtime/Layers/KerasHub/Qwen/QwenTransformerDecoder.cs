using KerasPort.Runtime.Layers.KerasHub.Llama;

namespace KerasPort.Runtime.Layers.KerasHub.Qwen;

/// <summary>
/// KerasHub <c>QwenTransformerDecoder</c> (keras_hub/src/models/qwen/qwen_decoder.py): Llama's decoder block with
/// <see cref="QwenAttention"/> and <see cref="QwenLayerNorm"/>; see <see cref="GatedDecoder"/>.
/// </summary>
public sealed class QwenTransformerDecoder(LayerContext context, GatedDecoderSpec spec)
    : GatedDecoder(context, spec, (c, s) => new QwenAttention(c, s), (c, s) => new QwenLayerNorm(c, s));
