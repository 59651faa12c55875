namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of KerasHub's <c>Gemma3Backbone</c> (keras_hub/src/models/gemma3/gemma3_backbone.py,
/// v0.31.1 <c>__init__</c>), text only: the Gemma ones (<see cref="GemmaBackboneSpec"/>, <c>sliding_window_size</c>
/// 1024 by default) and Gemma 3's own. A vision encoder, <c>is_embedding_model</c> and
/// <c>use_bidirectional_attention</c> are refused as unsupported.
/// </summary>
/// <param name="Gemma">The arguments every Gemma backbone takes.</param>
/// <param name="UseQueryKeyNorm"><c>use_query_key_norm</c> (True).</param>
/// <param name="LocalRopeScalingFactor"><c>local_rope_scaling_factor</c> (1.0).</param>
/// <param name="GlobalRopeScalingFactor"><c>global_rope_scaling_factor</c> (1.0).</param>
internal sealed record Gemma3BackboneSpec(GemmaBackboneSpec Gemma, bool UseQueryKeyNorm, double LocalRopeScalingFactor, double GlobalRopeScalingFactor)
{
    /// <summary>Reads a <c>Gemma3Backbone</c>'s arguments.</summary>
    public static Gemma3BackboneSpec Read(LayerReader arguments)
    {
        if (arguments.Has("vision_encoder"))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "a vision encoder (Gemma 3 image input) is not supported: text-only Gemma3Backbone only");
        if (arguments.Bool("is_embedding_model", false))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "is_embedding_model=True (Gemma 3 embedding models) is not supported");
        if (arguments.Bool("use_bidirectional_attention", false))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "use_bidirectional_attention=True is not supported");
        return new(GemmaBackboneSpec.Read(arguments, slidingWindowSize: 1024), arguments.Bool("use_query_key_norm", true),
            arguments.Double("local_rope_scaling_factor", 1), arguments.Double("global_rope_scaling_factor", 1));
    }
}
