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
        bool channelsFirst = arguments.ChannelsFirst;
        var imageShape = arguments.Ints("image_shape") is { Length: 3 } shape ? shape
            : throw arguments.ConfigError("image_shape", "must list the height, width and channels (all known)");
        var (height, width, channels) = channelsFirst ? (imageShape[1], imageShape[2], imageShape[0]) : (imageShape[0], imageShape[1], imageShape[2]);
        var patch = arguments.Ints("patch_size") switch
        {
            [var p] => new[] { p, p },
            [var ph, var pw] => new[] { ph, pw },
            _ => throw arguments.ConfigError("patch_size", "must be an int or a pair of ints"),
        };
        if (patch[0] <= 0 || patch[1] <= 0) throw arguments.ConfigError("patch_size", "must be positive");
        if (height <= 0 || width <= 0 || channels <= 0) throw arguments.ConfigError("image_shape", "must have known, positive height, width and channels");
        if (height % patch[0] != 0) throw arguments.ConfigError("patch_size", $"the input height {height} is not divisible by the patch size {patch[0]}");
        if (width % patch[1] != 0) throw arguments.ConfigError("patch_size", $"the input width {width} is not divisible by the patch size {patch[1]}");
        int hidden = arguments.IntAtLeast("hidden_dim", 0, 1);
        int heads = arguments.IntAtLeast("num_heads", 0, 1);
        if (hidden / heads < 1) throw arguments.ConfigError("num_heads", $"must not exceed hidden_dim ({hidden})");
        var dataFormat = channelsFirst ? "channels_first" : "channels_last";

        var graph = new HubGraph();
        var images = graph.Input("images", "float32", [.. imageShape.Select(d => (int?)d)]);
        var x = graph.Call("vit_patching_and_embedding", "keras_hub>ViTPatchingAndEmbedding", new JsonObject
        {
            ["image_size"] = new JsonArray(height, width), ["patch_size"] = new JsonArray(patch[0], patch[1]), ["hidden_dim"] = hidden,
            ["num_channels"] = channels, ["use_class_token"] = arguments.Bool("use_class_token", true),
            ["use_patch_bias"] = arguments.Bool("use_patch_bias", true), ["data_format"] = dataFormat,
        }, images);
        var output = graph.Call("vit_encoder", "keras_hub>ViTEncoder", new JsonObject
        {
            ["num_layers"] = arguments.IntAtLeast("num_layers", 0, 0), ["num_heads"] = heads, ["hidden_dim"] = hidden,
            ["mlp_dim"] = arguments.IntAtLeast("mlp_dim", 0, 1), ["use_mha_bias"] = arguments.Bool("use_mha_bias", true),
            ["use_mlp_bias"] = arguments.Bool("use_mlp_bias", true), ["dropout_rate"] = arguments.DoubleAtLeast("dropout_rate", 0, 0),
            ["attention_dropout"] = arguments.DoubleAtLeast("attention_dropout", 0, 0),
            ["layer_norm_epsilon"] = arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0),
        }, x);
        return graph.Build(arguments.Name, [output]);
    }
}
