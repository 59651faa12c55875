using System.Text.Json.Nodes;
using KerasPort.KerasHub;

namespace KerasPort.Tests.Converters.KerasHub;

/// <summary>
/// The ViT, MobileNet and T5 architectures refuse constructor arguments their keras-hub constructors refuse (or could not
/// build from) with a typed error naming the class and the argument; the golden cases cover the arguments that work.
/// </summary>
public sealed class VisionAndT5ArchitectureArgumentTests
{
    // As config.json holds it: parsed JSON, not CLR values.
    static JsonObject Serialized(string className, JsonObject config) => (JsonObject)JsonNode.Parse(new JsonObject
    {
        ["class_name"] = className, ["registered_name"] = KerasHubArchitectures.Package + className, ["config"] = config,
    }.ToJsonString())!;

    static JsonObject ViT(JsonArray imageShape, JsonNode patchSize) => new()
    {
        ["name"] = "vit", ["image_shape"] = imageShape, ["patch_size"] = patchSize, ["num_layers"] = 1, ["num_heads"] = 2,
        ["hidden_dim"] = 8, ["mlp_dim"] = 16,
    };

    [Fact]
    public void ViTRefusesAPatchSizeThatDoesNotDivideTheImage()
    {
        // vit_backbone.py: "Input height 16 should be divisible by patch size 5."
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(Serialized("ViTBackbone", ViT([16, 16, 3], 5)), "test"));
        Assert.Contains("patch_size", error.Message);
        Assert.Contains("not divisible", error.Message);
    }

    [Fact]
    public void ViTRefusesAnImageOfUnknownHeight()
    {
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(Serialized("ViTBackbone", ViT([null, 16, 3], 4)), "test"));
        Assert.Contains("image_shape", error.Message);
    }

    [Fact]
    public void ViTReadsAnIntPatchSizeAsASquare()
    {
        var model = KerasHubArchitectures.TryBuild(Serialized("ViTBackbone", ViT([8, 12, 3], 4)), "test")!;
        var patching = model.Layers.Single(l => l.Name == "vit_patching_and_embedding");
        Assert.Equal("[4,4]", patching.Config["patch_size"]!.ToJsonString());
    }

    [Fact]
    public void MobileNetRefusesStackwiseListsShorterThanTheBlocks()
    {
        var config = new JsonObject
        {
            ["name"] = "mobilenet", ["image_shape"] = new JsonArray(16, 16, 3), ["stackwise_num_blocks"] = new JsonArray(2),
            ["stackwise_expansion"] = new JsonArray(new JsonArray(16)), ["stackwise_num_filters"] = new JsonArray(new JsonArray(8, 8)),
            ["stackwise_kernel_size"] = new JsonArray(new JsonArray(3, 5)), ["stackwise_num_strides"] = new JsonArray(new JsonArray(2, 1)),
            ["stackwise_se_ratio"] = new JsonArray(new JsonArray(0.25, 0.25)), ["stackwise_activation"] = new JsonArray(new JsonArray("relu", "relu")),
            ["stackwise_padding"] = new JsonArray(new JsonArray(1, 2)), ["depthwise_filters"] = 8, ["last_layer_filter"] = 16,
        };
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(Serialized("MobileNetBackbone", config), "test"));
        Assert.Contains("stackwise_expansion", error.Message);
    }

    [Fact]
    public void T5RefusesMoreHeadsThanHiddenUnitsWithoutAKeyValueDim()
    {
        var config = new JsonObject
        {
            ["name"] = "t5", ["vocabulary_size"] = 10, ["num_layers"] = 1, ["num_heads"] = 8, ["hidden_dim"] = 4, ["intermediate_dim"] = 8,
        };
        var error = Assert.Throws<LayerConfigException>(() => KerasHubArchitectures.TryBuild(Serialized("T5Backbone", config), "test"));
        Assert.Contains("num_heads", error.Message);
    }
}
