using KerasPort.Runtime.Layers.KerasHub.Llama;

namespace KerasPort.Runtime.Layers.KerasHub.Mistral;

/// <summary>KerasHub <c>MistralLayerNormalization</c> (keras_hub/src/models/mistral/mistral_layer_norm.py): Llama's RMS norm, see <see cref="RmsLayerNorm"/>.</summary>
public sealed class MistralLayerNormalization(LayerContext context, RmsLayerNormSpec spec) : RmsLayerNorm(context, spec);
