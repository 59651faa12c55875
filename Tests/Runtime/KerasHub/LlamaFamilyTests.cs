using System.Text.Json.Nodes;
using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Llama;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime.KerasHub;

/// <summary>
/// What the golden Llama, Mistral and Qwen cases do not reach: Llama 3.1's RoPE frequency smoothing (expected values
/// printed by keras-hub 0.31.1's <c>LlamaRotaryEmbedding</c> on Keras 3.15.1, torch backend) and the refusal of
/// constructor arguments keras-hub cannot build a model from.
/// </summary>
public sealed class LlamaFamilyTests
{
    [Fact]
    public void Llama31RopeSmoothsTheFrequenciesAsKerasHubDoes()
    {
        using var scope = NewDisposeScope();
        var spec = new LlamaRotaryEmbeddingSpec(MaxWavelength: 500, FrequencyAdjustmentFactor: 8, LowFreqFactor: 1, HighFreqFactor: 4, PretrainingSequenceLength: 64);
        RotaryEmbeddingTests.AssertClose("inverse frequencies", [1f, 0.09761663f, 0.00559017f, 0.00118218f], LlamaRotaryEmbedding.InverseFrequencies(spec, 8, CPU));
        var input = arange(48, ScalarType.Float32).sub(23).div(13).reshape(1, 3, 2, 8);
        RotaryEmbeddingTests.AssertClose("rotated", [-1.903369f, -0.8454099f, -1.578207f, -1.53116f, 1.281975f, -2.016519f, -1.352327f, -1.239841f, -1.1387f, -0.5904562f, -0.9802613f, -0.9194234f, 0.8664293f, -1.184416f, -0.7199845f, -0.6208301f, -0.5814953f, -0.2995683f, -0.3818195f, -0.3076846f, -0.07112324f, -0.3833344f, -0.08977779f, -0.002182462f, 0.1813267f, -0.1269266f, 0.2125823f, 0.3033196f, 0.3478028f, 0.4696552f, 0.5458975f, 0.6175516f, -0.1350542f, -0.08340967f, 0.8003663f, 0.9128606f, 1.208739f, 1.320804f, 1.186065f, 1.238366f, -0.07541382f, 0.005276322f, 1.391205f, 1.523132f, 2.076978f, 2.186558f, 1.825054f, 1.858822f],
            LlamaRotaryEmbedding.Apply(input, spec, startIndex: 5));
    }

    static JsonObject Backbone(string className, string extra = "", int keyValueHeads = 2) => JsonNode.Parse(
        "{\"class_name\": \"" + className + "\", \"registered_name\": \"keras_hub>" + className + "\", \"config\": {\"name\": \"lm\", " +
        "\"vocabulary_size\": 96, \"num_layers\": 1, \"num_query_heads\": 4, \"hidden_dim\": 16, \"intermediate_dim\": 32, " +
        "\"num_key_value_heads\": " + keyValueHeads + extra + "}}")!.AsObject();

    [Theory]
    [InlineData("LlamaBackbone")]
    [InlineData("MistralBackbone")]
    [InlineData("QwenBackbone")]
    public void RebuildsEachBackboneFromItsArguments(string className)
    {
        var model = KerasHubArchitectures.TryBuild(Backbone(className), "model.keras")!;
        Assert.Equal(["token_embedding", "transformer_layer_0", "sequence_output_layernorm"], model.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Name));
        Assert.Equal(["padding_mask", "token_ids"], model.Inputs.Select(i => i.Layer));
    }

    [Fact]
    public void RefusesKeyValueHeadsThatDoNotDivideTheQueryHeads()
    {
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(Backbone("MistralBackbone", keyValueHeads: 3), "model.keras"));
        Assert.Contains("num_key_value_heads", error.Message);
    }

    [Fact]
    public void RefusesAPartialLlama31RopeGroup()
    {
        var model = KerasHubArchitectures.TryBuild(Backbone("LlamaBackbone", ", \"rope_low_freq_factor\": 1.0"), "model.keras")!;
        var decoder = model.Layers.Single(l => l.Name == "transformer_layer_0");
        var error = Assert.Throws<LayerConfigException>(() => GatedDecoderSpec.Read(KerasPort.Converters.Keras.LayerReader.Of(decoder, 3)));
        Assert.Contains("rope_low_freq_factor", error.Message);
    }
}
