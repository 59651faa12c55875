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
        bool slidingWindow = arguments.Bool("use_sliding_window_attention", false);
        int windowSize = arguments.IntAtLeast("sliding_window_size", 4096, 1);
        var blocks = Enumerable.Range(0, arguments.IntAtLeast("num_layers", 0, 1)).Select(i =>
        {
            var config = GemmaGraph.CommonBlockConfig(arguments);
            config["use_sliding_window_attention"] = slidingWindow && i % 2 == 0;
            config["sliding_window_size"] = windowSize;
            return config;
        }).ToList();
        return GemmaGraph.Build(arguments, "GemmaDecoderBlock", blocks);
    }
}
