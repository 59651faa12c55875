namespace KerasPort.KerasHub;

/// <summary>
/// The sublayers keras_hub's ViT layers create (keras_hub/src/models/vit/vit_layers.py) as descriptions, each with its
/// share of the owner's weights (saved under its attribute). The runtime builds them through its registry, the ONNX
/// writer lowers them.
/// </summary>
internal static class ViTSublayers
{
    /// <summary>The patch Conv2D (kernel and strides <c>patch_size</c>, valid padding).</summary>
    public static LayerDescription PatchEmbedding(LayerReader owner, ViTPatchingAndEmbeddingSpec spec) =>
        HubSublayerDescriptions.Of(owner, "patch_embedding", "Conv2D", new JsonObject
        {
            ["name"] = "patch_embedding", ["filters"] = spec.HiddenDim,
            ["kernel_size"] = new JsonArray(spec.PatchHeight, spec.PatchWidth), ["strides"] = new JsonArray(spec.PatchHeight, spec.PatchWidth),
            ["padding"] = "valid", ["data_format"] = spec.ChannelsFirst ? "channels_first" : "channels_last", ["use_bias"] = spec.UsePatchBias,
        });

    /// <summary>The position Embedding, one row per position.</summary>
    public static LayerDescription PositionEmbedding(LayerReader owner, ViTPatchingAndEmbeddingSpec spec) =>
        HubSublayerDescriptions.Of(owner, "position_embedding", "Embedding", new JsonObject
        {
            ["name"] = "position_embedding", ["input_dim"] = spec.NumPositions, ["output_dim"] = spec.HiddenDim,
        });

    /// <summary>The index of the owner's own weight <c>vars/0</c> (ViTPatchingAndEmbedding's class token), or -1.</summary>
    public static int OwnWeight(LayerReader owner) => owner.Weights.Select(w => w.Name).ToList().IndexOf("vars/0");

    /// <summary>ViTEncoderBlock's <c>ln_1</c>, <c>mha</c>, <c>ln_2</c>, <c>mlp.dense_1</c> (exact gelu) and <c>mlp.dense_2</c>.</summary>
    public static (LayerDescription AttentionNorm, LayerDescription Attention, LayerDescription MlpNorm, LayerDescription MlpIntermediate,
        LayerDescription MlpOutput) Block(LayerReader owner, ViTEncoderBlockSpec spec) =>
    (
        LayerNorm(owner, "layer_norm_1", "ln_1", spec.LayerNormEpsilon),
        HubSublayerDescriptions.Of(owner, "mha", "MultiHeadAttention", new JsonObject
        {
            ["name"] = "mha", ["num_heads"] = spec.NumHeads, ["key_dim"] = spec.KeyDim, ["use_bias"] = spec.UseMhaBias, ["dropout"] = spec.AttentionDropout,
        }),
        LayerNorm(owner, "layer_norm_2", "ln_2", spec.LayerNormEpsilon),
        MlpDense(owner, "dense_1", spec.MlpDim, "gelu", spec.UseMlpBias),
        MlpDense(owner, "dense_2", spec.HiddenDim, "linear", spec.UseMlpBias)
    );

    /// <summary>ViTEncoder's blocks (saved as <c>encoder_layers/vi_t_encoder_block[_i]</c>) and final norm (<c>layer_norm</c>).</summary>
    public static (IReadOnlyList<LayerDescription> Blocks, LayerDescription Norm) Encoder(LayerReader owner, ViTEncoderSpec spec)
    {
        var block = spec.Block;
        var key = KerasConfigReader.ToSnakeCase("ViTEncoderBlock");
        var blocks = Enumerable.Range(0, spec.NumLayers).Select(i => HubSublayerDescriptions.Of(owner, $"encoder_layers/{(i == 0 ? key : $"{key}_{i}")}",
            "keras_hub>ViTEncoderBlock", new JsonObject
            {
                ["name"] = $"transformer_block_{i + 1}", ["num_heads"] = block.NumHeads, ["hidden_dim"] = block.HiddenDim, ["mlp_dim"] = block.MlpDim,
                ["use_mha_bias"] = block.UseMhaBias, ["use_mlp_bias"] = block.UseMlpBias, ["dropout_rate"] = block.DropoutRate,
                ["attention_dropout"] = block.AttentionDropout, ["layer_norm_epsilon"] = block.LayerNormEpsilon,
            })).ToList();
        return (blocks, LayerNorm(owner, "layer_norm", "ln", block.LayerNormEpsilon));
    }

    static LayerDescription LayerNorm(LayerReader owner, string attribute, string name, double epsilon) =>
        HubSublayerDescriptions.Of(owner, attribute, "LayerNormalization", new JsonObject { ["name"] = name, ["axis"] = -1, ["epsilon"] = epsilon });

    // vit_layers.py MLP: Dense(activation="gelu") is Keras's exact (erf) gelu.
    static LayerDescription MlpDense(LayerReader owner, string name, int units, string activation, bool useBias) =>
        HubSublayerDescriptions.Of(owner, "mlp/" + name, "Dense", new JsonObject { ["name"] = name, ["units"] = units, ["activation"] = activation, ["use_bias"] = useBias });
}
