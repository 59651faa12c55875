namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub's <c>Gemma3Backbone</c> (keras_hub/src/models/gemma3/gemma3_backbone.py, v0.31.1), text only: the Gemma
/// graph (<see cref="GemmaGraph"/>) with <c>num_layers</c> <c>Gemma3DecoderBlock</c>s (query/key norms, full-width
/// gates: <c>gate_dim_reduction=1</c>). With <c>use_sliding_window_attention</c>, five blocks of every six
/// (<c>i % 6 &lt; 5</c>) are local: sliding window, RoPE wavelength 10^4 and <c>local_rope_scaling_factor</c>; the
/// others are global: RoPE wavelength 10^6 and <c>global_rope_scaling_factor</c>.
/// </summary>
internal sealed class Gemma3Backbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>Gemma3Backbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        if (arguments.Has("vision_encoder"))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "a vision encoder (Gemma 3 image input) is not supported: text-only Gemma3Backbone only");
        if (arguments.Bool("is_embedding_model", false))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "is_embedding_model=True (Gemma 3 embedding models) is not supported");
        if (arguments.Bool("use_bidirectional_attention", false))
            throw new UnsupportedLayerException(arguments.ClassName, arguments.Name, "use_bidirectional_attention=True is not supported");
        bool slidingWindow = arguments.Bool("use_sliding_window_attention", false);
        int windowSize = arguments.IntAtLeast("sliding_window_size", 1024, 1);
        double localScaling = arguments.Double("local_rope_scaling_factor", 1), globalScaling = arguments.Double("global_rope_scaling_factor", 1);
        bool queryKeyNorm = arguments.Bool("use_query_key_norm", true);
        var blocks = Enumerable.Range(0, arguments.IntAtLeast("num_layers", 0, 1)).Select(i =>
        {
            bool local = slidingWindow && i % 6 < 5;
            var config = GemmaGraph.CommonBlockConfig(arguments);
            config["use_query_key_norm"] = queryKeyNorm;
            config["gate_dim_reduction"] = 1;
            config["use_sliding_window_attention"] = local;
            config["sliding_window_size"] = windowSize;
            config["rope_wavelength"] = local ? 10_000.0 : 1_000_000.0;
            config["rope_scaling_factor"] = local ? localScaling : globalScaling;
            return config;
        }).ToList();
        return GemmaGraph.Build(arguments, "Gemma3DecoderBlock", blocks);
    }
}
