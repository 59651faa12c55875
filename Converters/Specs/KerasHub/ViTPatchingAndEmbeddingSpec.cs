namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>ViTPatchingAndEmbedding</c> (keras_hub/src/models/vit/vit_layers.py): a Conv2D with kernel and
/// strides <c>patch_size</c> turns the image into one <c>hidden_dim</c> vector per patch; the patches are flattened in
/// row-major order, a learned class token is put first (<c>use_class_token</c>), and a learned position embedding
/// (one row per position) is added.
/// </summary>
/// <param name="ImageHeight">The image height (<c>image_size[0]</c>).</param>
/// <param name="ImageWidth">The image width (<c>image_size[1]</c>).</param>
/// <param name="PatchHeight">The patch height (<c>patch_size[0]</c>), dividing the image height.</param>
/// <param name="PatchWidth">The patch width (<c>patch_size[1]</c>), dividing the image width.</param>
/// <param name="HiddenDim">The embedding size (<c>hidden_dim</c>).</param>
/// <param name="NumChannels">The image channels (<c>num_channels</c>).</param>
/// <param name="UseClassToken">Whether a learned class token precedes the patches.</param>
/// <param name="UsePatchBias">Whether the patch Conv2D has a bias.</param>
/// <param name="ChannelsFirst">Whether images are <c>channels_first</c>.</param>
public sealed record ViTPatchingAndEmbeddingSpec(int ImageHeight, int ImageWidth, int PatchHeight, int PatchWidth, int HiddenDim, int NumChannels,
    bool UseClassToken, bool UsePatchBias, bool ChannelsFirst) : LayerSpec, ILayerSpec<ViTPatchingAndEmbeddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>ViTPatchingAndEmbedding"];

    /// <inheritdoc />
    public static ViTPatchingAndEmbeddingSpec Read(LayerReader layer)
    {
        var image = layer.Ints("image_size") is [var h, var w] && h > 0 && w > 0 ? (h, w)
            : throw layer.ConfigError("image_size", "must be a pair of positive ints");
        var patch = layer.Ints("patch_size") switch
        {
            [var p] when p > 0 => (p, p),
            [var ph, var pw] when ph > 0 && pw > 0 => (ph, pw),
            _ => throw layer.ConfigError("patch_size", "must be a positive int or a pair of them"),
        };
        return new(image.h, image.w, patch.Item1, patch.Item2, layer.IntAtLeast("hidden_dim", 0, 1), layer.IntAtLeast("num_channels", 3, 1),
            layer.Bool("use_class_token", true), layer.Bool("use_patch_bias", true), layer.ChannelsFirst);
    }

    /// <summary>The number of patches: the grid <c>(height / patch height) x (width / patch width)</c>, remainders dropped.</summary>
    public int NumPatches => ImageHeight / PatchHeight * (ImageWidth / PatchWidth);

    /// <summary>The sequence length: the patches, plus one for the class token.</summary>
    public int NumPositions => NumPatches + (UseClassToken ? 1 : 0);

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [new("patch_embedding/kernel"), .. UsePatchBias ? [new WeightRole("patch_embedding/bias")] : Array.Empty<WeightRole>(),
         new("position_embedding/embeddings"), .. UseClassToken ? [new WeightRole("class_token")] : Array.Empty<WeightRole>()];
}
