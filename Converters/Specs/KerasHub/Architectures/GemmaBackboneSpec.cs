namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of KerasHub's <c>GemmaBackbone</c> (keras_hub/src/models/gemma/gemma_backbone.py,
/// v0.31.1 <c>__init__</c>), which <c>Gemma3Backbone</c> shares (<see cref="Gemma3BackboneSpec"/>): Keras-hub's names
/// and defaults, validated.
/// </summary>
/// <param name="VocabularySize"><c>vocabulary_size</c>.</param>
/// <param name="NumLayers"><c>num_layers</c>: decoder blocks.</param>
/// <param name="NumQueryHeads"><c>num_query_heads</c>.</param>
/// <param name="NumKeyValueHeads"><c>num_key_value_heads</c>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="IntermediateDim"><c>intermediate_dim</c>.</param>
/// <param name="HeadDim"><c>head_dim</c>.</param>
/// <param name="QueryHeadDimNormalize"><c>query_head_dim_normalize</c> (True).</param>
/// <param name="UsePostFfwNorm"><c>use_post_ffw_norm</c> (False).</param>
/// <param name="UsePostAttentionNorm"><c>use_post_attention_norm</c> (False).</param>
/// <param name="AttentionLogitSoftCap"><c>attention_logit_soft_cap</c>: positive, or null (None).</param>
/// <param name="FinalLogitSoftCap"><c>final_logit_soft_cap</c>: positive, or null (None).</param>
/// <param name="UseSlidingWindowAttention"><c>use_sliding_window_attention</c> (False).</param>
/// <param name="SlidingWindowSize"><c>sliding_window_size</c> (Gemma 4096, Gemma 3 1024).</param>
/// <param name="LayerNormEpsilon"><c>layer_norm_epsilon</c> (1e-6).</param>
/// <param name="Dropout"><c>dropout</c> (0).</param>
internal sealed record GemmaBackboneSpec(
    int VocabularySize, int NumLayers, int NumQueryHeads, int NumKeyValueHeads, int HiddenDim, int IntermediateDim, int HeadDim,
    bool QueryHeadDimNormalize, bool UsePostFfwNorm, bool UsePostAttentionNorm, double? AttentionLogitSoftCap, double? FinalLogitSoftCap,
    bool UseSlidingWindowAttention, int SlidingWindowSize, double LayerNormEpsilon, double Dropout)
{
    /// <summary>Reads a <c>GemmaBackbone</c>'s arguments.</summary>
    public static GemmaBackboneSpec Read(LayerReader arguments) => Read(arguments, slidingWindowSize: 4096);

    /// <summary>Reads the arguments every Gemma backbone takes, with the backbone's default <paramref name="slidingWindowSize"/>.</summary>
    internal static GemmaBackboneSpec Read(LayerReader arguments, int slidingWindowSize) => new(
        arguments.IntAtLeast("vocabulary_size", 0, 1), arguments.IntAtLeast("num_layers", 0, 1),
        arguments.IntAtLeast("num_query_heads", 0, 1), arguments.IntAtLeast("num_key_value_heads", 0, 1),
        arguments.IntAtLeast("hidden_dim", 0, 1), arguments.IntAtLeast("intermediate_dim", 0, 1), arguments.IntAtLeast("head_dim", 0, 1),
        arguments.Bool("query_head_dim_normalize", true), arguments.Bool("use_post_ffw_norm", false), arguments.Bool("use_post_attention_norm", false),
        SoftCap(arguments, "attention_logit_soft_cap"), SoftCap(arguments, "final_logit_soft_cap"),
        arguments.Bool("use_sliding_window_attention", false), arguments.IntAtLeast("sliding_window_size", slidingWindowSize, 1),
        arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0), arguments.Double("dropout", 0));

    /// <summary>A soft cap argument: a positive number, or null (absent or None).</summary>
    static double? SoftCap(LayerReader arguments, string key)
    {
        if (!arguments.Has(key)) return null;
        double cap = arguments.Double(key, 0);
        return cap > 0 ? cap : throw arguments.ConfigError(key, $"must be positive or None, not {cap}");
    }
}
