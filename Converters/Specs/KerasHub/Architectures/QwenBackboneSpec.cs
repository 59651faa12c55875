namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// KerasHub <c>QwenBackbone</c>'s arguments (keras_hub/src/models/qwen/qwen_backbone.py, v0.31.1, Qwen 2): the shared
/// ones and those passed on to every <c>QwenTransformerDecoder</c>.
/// </summary>
/// <param name="Shared">The arguments of every gated-decoder backbone.</param>
/// <param name="TieWordEmbeddings"><c>tie_word_embeddings</c> (True).</param>
/// <param name="DecoderArguments"><c>rope_scaling_factor</c> (1.0), <c>use_sliding_window_attention</c> (False), <c>sliding_window_size</c> (32768).</param>
internal sealed record QwenBackboneSpec(GatedDecoderBackboneSpec Shared, bool TieWordEmbeddings, IReadOnlyDictionary<string, JsonNode?> DecoderArguments)
{
    /// <summary>Reads a <c>QwenBackbone</c>'s arguments.</summary>
    public static QwenBackboneSpec Read(LayerReader arguments) => new(GatedDecoderBackboneSpec.Read(arguments), arguments.Bool("tie_word_embeddings", true),
        new Dictionary<string, JsonNode?>
        {
            ["rope_scaling_factor"] = GatedDecoderBackboneSpec.PassedOn(arguments, "rope_scaling_factor", 1.0),
            ["use_sliding_window_attention"] = GatedDecoderBackboneSpec.PassedOn(arguments, "use_sliding_window_attention", false),
            ["sliding_window_size"] = GatedDecoderBackboneSpec.PassedOn(arguments, "sliding_window_size", 32768),
        });
}
