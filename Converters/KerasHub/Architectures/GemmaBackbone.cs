namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// KerasHub's <c>GemmaBackbone</c> (keras_hub/src/models/gemma/gemma_backbone.py, v0.31.1), Gemma 1 and 2: the Gemma
/// graph (<see cref="GemmaGraph"/>) with <c>num_layers</c> <c>GemmaDecoderBlock</c>s; with
/// <c>use_sliding_window_attention</c>, the even-numbered blocks use the sliding window.
/// </summary>
internal sealed class GemmaBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>GemmaBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var spec = GemmaBackboneSpec.Read(arguments);
        var blocks = Enumerable.Range(0, spec.NumLayers).Select(i =>
        {
            var config = GemmaGraph.CommonBlockConfig(spec);
            config["use_sliding_window_attention"] = spec.UseSlidingWindowAttention && i % 2 == 0;
            config["sliding_window_size"] = spec.SlidingWindowSize;
            return config;
        }).ToList();
        return GemmaGraph.Build(spec, arguments.Name, "GemmaDecoderBlock", blocks);
    }
}
