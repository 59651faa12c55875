namespace KerasPort.Specs.KerasHub.Architectures;

/// <summary>
/// The constructor arguments of keras_hub's <c>ViTBackbone</c> (keras_hub/src/models/vit/vit_backbone.py, v0.31.1
/// <c>__init__</c>): Keras-hub's names and defaults, validated. The image's height, width and channels must be known,
/// and the height and width divisible by the patch size.
/// </summary>
/// <param name="ImageShape"><c>image_shape</c>, in the layout of <paramref name="ChannelsFirst"/>.</param>
/// <param name="PatchHeight"><c>patch_size</c>'s height (an int patch size is square).</param>
/// <param name="PatchWidth"><c>patch_size</c>'s width.</param>
/// <param name="NumLayers"><c>num_layers</c>.</param>
/// <param name="NumHeads"><c>num_heads</c>, at most <paramref name="HiddenDim"/>.</param>
/// <param name="HiddenDim"><c>hidden_dim</c>.</param>
/// <param name="MlpDim"><c>mlp_dim</c>.</param>
/// <param name="DropoutRate"><c>dropout_rate</c> (0.0).</param>
/// <param name="AttentionDropout"><c>attention_dropout</c> (0.0).</param>
/// <param name="LayerNormEpsilon"><c>layer_norm_epsilon</c> (1e-6).</param>
/// <param name="UseMhaBias"><c>use_mha_bias</c> (True).</param>
/// <param name="UseMlpBias"><c>use_mlp_bias</c> (True).</param>
/// <param name="UseClassToken"><c>use_class_token</c> (True).</param>
/// <param name="UsePatchBias"><c>use_patch_bias</c> (True).</param>
/// <param name="ChannelsFirst"><c>data_format</c> is <c>channels_first</c> (None: Keras's image data format).</param>
internal sealed record ViTBackboneSpec(
    int[] ImageShape, int PatchHeight, int PatchWidth, int NumLayers, int NumHeads, int HiddenDim, int MlpDim, double DropoutRate,
    double AttentionDropout, double LayerNormEpsilon, bool UseMhaBias, bool UseMlpBias, bool UseClassToken, bool UsePatchBias, bool ChannelsFirst)
{
    /// <summary>The image height.</summary>
    public int Height => ChannelsFirst ? ImageShape[1] : ImageShape[0];

    /// <summary>The image width.</summary>
    public int Width => ChannelsFirst ? ImageShape[2] : ImageShape[1];

    /// <summary>The image channels.</summary>
    public int Channels => ChannelsFirst ? ImageShape[0] : ImageShape[2];

    /// <summary>Reads a <c>ViTBackbone</c>'s arguments.</summary>
    public static ViTBackboneSpec Read(LayerReader arguments)
    {
        bool channelsFirst = arguments.ChannelsFirst;
        var imageShape = arguments.Ints("image_shape") is { Length: 3 } shape ? shape
            : throw arguments.ConfigError("image_shape", "must list the height, width and channels (all known)");
        var (height, width, channels) = channelsFirst ? (imageShape[1], imageShape[2], imageShape[0]) : (imageShape[0], imageShape[1], imageShape[2]);
        var (patchHeight, patchWidth) = arguments.Ints("patch_size") switch
        {
            [var p] => (p, p),
            [var ph, var pw] => (ph, pw),
            _ => throw arguments.ConfigError("patch_size", "must be an int or a pair of ints"),
        };
        if (patchHeight <= 0 || patchWidth <= 0) throw arguments.ConfigError("patch_size", "must be positive");
        if (height <= 0 || width <= 0 || channels <= 0) throw arguments.ConfigError("image_shape", "must have known, positive height, width and channels");
        if (height % patchHeight != 0) throw arguments.ConfigError("patch_size", $"the input height {height} is not divisible by the patch size {patchHeight}");
        if (width % patchWidth != 0) throw arguments.ConfigError("patch_size", $"the input width {width} is not divisible by the patch size {patchWidth}");
        int hidden = arguments.IntAtLeast("hidden_dim", 0, 1);
        int heads = arguments.IntAtLeast("num_heads", 0, 1);
        if (hidden / heads < 1) throw arguments.ConfigError("num_heads", $"must not exceed hidden_dim ({hidden})");
        return new(imageShape, patchHeight, patchWidth, arguments.IntAtLeast("num_layers", 0, 0), heads, hidden, arguments.IntAtLeast("mlp_dim", 0, 1),
            arguments.DoubleAtLeast("dropout_rate", 0, 0), arguments.DoubleAtLeast("attention_dropout", 0, 0),
            arguments.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0), arguments.Bool("use_mha_bias", true), arguments.Bool("use_mlp_bias", true),
            arguments.Bool("use_class_token", true), arguments.Bool("use_patch_bias", true), channelsFirst);
    }
}
