namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>MistralBackbone</c>'s arguments (keras_hub/src/models/mistral/mistral_backbone.py, v0.31.1): the shared
/// ones and those passed on to every <c>MistralTransformerDecoder</c>; the embeddings are never tied.
/// </summary>
/// <param name="Shared">The arguments of every gated-decoder backbone.</param>
/// <param name="DecoderArguments"><c>rope_scaling_factor</c> (1.0), <c>sliding_window</c> (512; None: no window), <c>head_dim</c> (None).</param>
internal sealed record MistralBackboneSpec(GatedDecoderBackboneSpec Shared, IReadOnlyDictionary<string, JsonNode?> DecoderArguments)
{
    /// <summary>Reads a <c>MistralBackbone</c>'s arguments.</summary>
    public static MistralBackboneSpec Read(LayerReader arguments) => new(GatedDecoderBackboneSpec.Read(arguments),
        new Dictionary<string, JsonNode?>
        {
            ["rope_scaling_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_scaling_factor", 1.0),
            ["sliding_window"] = GatedDecoderBackboneSpec.PassedOn(arguments, "sliding_window", 512),
            ["head_dim"] = GatedDecoderBackboneSpec.PassedOn(arguments, "head_dim", null),
        });
}
