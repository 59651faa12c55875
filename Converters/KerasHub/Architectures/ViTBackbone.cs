namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>ViTBackbone</c> (keras_hub/src/models/vit/vit_backbone.py <c>__init__</c>): the image is cut into
/// patches by a <c>ViTPatchingAndEmbedding</c> (Conv2D, class token, learned positions) and run through a
/// <c>ViTEncoder</c> (pre-LN blocks and a final LayerNormalization). The height and width must be known and divisible
/// by the patch size.
/// </summary>
public sealed class ViTBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>ViTBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var spec = ViTBackboneSpec.Read(arguments);
        var dataFormat = spec.ChannelsFirst ? "channels_first" : "channels_last";

        var graph = new HubGraph();
        var images = graph.Input("images", "float32", [.. spec.ImageShape.Select(d => (int?)d)]);
        var x = graph.Call("vit_patching_and_embedding", "keras_hub>ViTPatchingAndEmbedding", new JsonObject
        {
            ["image_size"] = new JsonArray(spec.Height, spec.Width), ["patch_size"] = new JsonArray(spec.PatchHeight, spec.PatchWidth),
            ["hidden_dim"] = spec.HiddenDim, ["num_channels"] = spec.Channels, ["use_class_token"] = spec.UseClassToken,
            ["use_patch_bias"] = spec.UsePatchBias, ["data_format"] = dataFormat,
        }, images);
        var output = graph.Call("vit_encoder", "keras_hub>ViTEncoder", new JsonObject
        {
            ["num_layers"] = spec.NumLayers, ["num_heads"] = spec.NumHeads, ["hidden_dim"] = spec.HiddenDim,
            ["mlp_dim"] = spec.MlpDim, ["use_mha_bias"] = spec.UseMhaBias,
            ["use_mlp_bias"] = spec.UseMlpBias, ["dropout_rate"] = spec.DropoutRate,
            ["attention_dropout"] = spec.AttentionDropout,
            ["layer_norm_epsilon"] = spec.LayerNormEpsilon,
        }, x);
        return graph.Build(arguments.Name, [output]);
    }
}
