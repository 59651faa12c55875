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
        var spec = Gemma3BackboneSpec.Read(arguments);
        var blocks = Enumerable.Range(0, spec.Gemma.NumLayers).Select(i =>
        {
            bool local = spec.Gemma.UseSlidingWindowAttention && i % 6 < 5;
            var config = GemmaGraph.CommonBlockConfig(spec.Gemma);
            config["use_query_key_norm"] = spec.UseQueryKeyNorm;
            config["gate_dim_reduction"] = 1;
            config["use_sliding_window_attention"] = local;
            config["sliding_window_size"] = spec.Gemma.SlidingWindowSize;
            config["rope_wavelength"] = local ? 10_000.0 : 1_000_000.0;
            config["rope_scaling_factor"] = local ? spec.LocalRopeScalingFactor : spec.GlobalRopeScalingFactor;
            return config;
        }).ToList();
        return GemmaGraph.Build(spec.Gemma, arguments.Name, "Gemma3DecoderBlock", blocks);
    }
}
