using KerasPort.Runtime.Layers.KerasHub.Llama;

namespace KerasPort.Runtime.Layers.KerasHub.Qwen;

/// <summary>KerasHub <c>QwenLayerNorm</c> (keras_hub/src/models/qwen/qwen_layernorm.py): Llama's RMS norm, see <see cref="RmsLayerNorm"/>.</summary>
public sealed class QwenLayerNorm(LayerContext context, RmsLayerNormSpec spec) : RmsLayerNorm(context, spec);
