using System.Text.Json.Nodes;
using KerasPort.Converters.Keras;
using KerasPort.KerasHub;
using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime.KerasHub;

/// <summary>
/// keras_hub's transformer layers where the golden cases (whole backbones, checked by <c>kerasport verify</c>) do not
/// reach: the key/value cache a generation loop uses, and refusals of bad arguments and inputs.
/// </summary>
public sealed class TransformerLayerTests
{
    static ModelDescription Gpt2() => KerasModelReader.Load(SharedData.GoldenPath("kerashub", "gpt2_backbone", "model.keras"));

    static KerasLayer Build(LayerDescription description) =>
        LayerRegistry.CreateDefault().Create(new LayerContext(description, KerasGeneration.Keras3, CPU, LayerRegistry.CreateDefault()));

    [SkippableFact]
    public void CachedDecodingOnePositionAtATimeMatchesTheFullPass()
    {
        // transformer_decoder.py with self_attention_cache: what GPT2CausalLM.call_with_cache does per step (no padding mask).
        using var scope = NewDisposeScope();
        using var layer = (TransformerDecoder)Build(Gpt2().Layers.Single(l => l.Name == "transformer_layer_0"));
        manual_seed(7);
        const int Batch = 2, Length = 8, Prompt = 5;
        var x = randn(Batch, Length, 16);
        var full = layer.Decode(DecoderCall.Inference(x)).Output;

        // (batch, 2, max_length, heads, head_dim): keys and values of every position written so far.
        var cache = zeros([Batch, 2, Length, 2, 8]);
        var prompt = layer.Decode(DecoderCall.Inference(x.narrow(1, 0, Prompt)) with { SelfAttentionCache = cache, SelfAttentionCacheUpdateIndex = 0 });
        var steps = new List<Tensor> { prompt.Output };
        cache = prompt.SelfAttentionCache!;
        for (int i = Prompt; i < Length; i++)
        {
            var step = layer.Decode(DecoderCall.Inference(x.narrow(1, i, 1)) with { SelfAttentionCache = cache, SelfAttentionCacheUpdateIndex = i });
            steps.Add(step.Output);
            cache = step.SelfAttentionCache!;
        }
        Assert.True(allclose(cat(steps, 1), full, rtol: 1e-5, atol: 1e-5), "cached decoding differs from the full pass");
    }

    [SkippableFact]
    public void CachedAttentionLeavesTheCallersCacheUnchanged()
    {
        using var scope = NewDisposeScope();
        using var layer = (TransformerDecoder)Build(Gpt2().Layers.Single(l => l.Name == "transformer_layer_1"));
        var cache = zeros([1, 2, 4, 2, 8]);
        var step = layer.Decode(DecoderCall.Inference(ones(1, 1, 16)) with { SelfAttentionCache = cache, SelfAttentionCacheUpdateIndex = 0 });
        Assert.Equal(0.0, cache.abs().sum().item<float>());
        Assert.NotEqual(0.0, step.SelfAttentionCache!.abs().sum().item<float>());
    }

    [SkippableFact]
    public void CacheUpdatePastTheCacheIsRefused()
    {
        using var scope = NewDisposeScope();
        using var layer = (TransformerDecoder)Build(Gpt2().Layers.Single(l => l.Name == "transformer_layer_0"));
        var error = Assert.Throws<ArgumentException>(() =>
            layer.Decode(DecoderCall.Inference(ones(1, 2, 16)) with { SelfAttentionCache = zeros([1, 2, 4, 2, 8]), SelfAttentionCacheUpdateIndex = 3 }));
        Assert.Contains("do not fit a cache of 4", error.Message);
    }

    [SkippableFact]
    public void SequenceLongerThanThePositionTableIsRefusedByName()
    {
        // max_sequence_length 16 in the golden GPT2Backbone.
        using var scope = NewDisposeScope();
        using var layer = Build(Gpt2().Layers.Single(l => l.Name == "position_embedding"));
        var error = Assert.Throws<ModelInputException>(() => layer.Call(new CallArguments([zeros(1, 17, 16)], new Dictionary<string, object?>())));
        Assert.Contains("position_embedding", error.Message);
    }

    [Fact]
    public void BackboneWithoutHeadsIsRefusedNamingTheArgument()
    {
        var root = JsonNode.Parse("""
            {"class_name": "GPT2Backbone", "registered_name": "keras_hub>GPT2Backbone", "module": "keras_hub.src.models.gpt2.gpt2_backbone",
             "config": {"name": "gpt2", "vocabulary_size": 96, "num_layers": 2, "num_heads": 0, "hidden_dim": 16, "intermediate_dim": 32}}
            """)!.AsObject();
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(root, "config.json"));
        Assert.Contains("num_heads", error.Message);
    }

    [Fact]
    public void DecoderWithFewerFeaturesThanHeadsIsRefused()
    {
        var config = HubLayers.TransformerDecoder(hidden: 2, intermediate: 8, heads: 4, dropout: 0, activation: "relu", epsilon: 1e-5, normalizeFirst: false);
        var description = new LayerDescription { Name = "decoder", ClassName = "TransformerDecoder", Module = "keras_hub.src.layers", Config = HubGraph.AsRead(config) };
        var error = Assert.Throws<LayerConfigException>(() => Build(description));
        Assert.Contains("head_dim would be 0", error.Message);
    }
}
