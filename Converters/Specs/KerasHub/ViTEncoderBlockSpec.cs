namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>ViTEncoderBlock</c> (keras_hub/src/models/vit/vit_layers.py): pre-LN self-attention
/// (<c>x + dropout(mha(ln_1(x), ln_1(x)))</c>, Keras MultiHeadAttention with <c>key_dim = hidden_dim // num_heads</c>),
/// then <c>x + mlp(ln_2(x))</c>, the MLP being <c>Dense(mlp_dim, exact gelu)</c>, dropout, <c>Dense(hidden_dim)</c>, dropout.
/// </summary>
/// <param name="NumHeads">The attention heads.</param>
/// <param name="HiddenDim">The sequence's feature size.</param>
/// <param name="MlpDim">The MLP's inner width.</param>
/// <param name="UseMhaBias">Whether the attention projections have biases.</param>
/// <param name="UseMlpBias">Whether the MLP's Dense layers have biases.</param>
/// <param name="DropoutRate">Dropout after the attention and in the MLP (training only).</param>
/// <param name="AttentionDropout">Dropout of the attention probabilities (training only).</param>
/// <param name="LayerNormEpsilon">The LayerNormalizations' epsilon.</param>
public sealed record ViTEncoderBlockSpec(int NumHeads, int HiddenDim, int MlpDim, bool UseMhaBias, bool UseMlpBias, double DropoutRate,
    double AttentionDropout, double LayerNormEpsilon) : LayerSpec, ILayerSpec<ViTEncoderBlockSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>ViTEncoderBlock"];

    /// <inheritdoc />
    public static ViTEncoderBlockSpec Read(LayerReader layer)
    {
        var spec = new ViTEncoderBlockSpec(layer.IntAtLeast("num_heads", 0, 1), layer.IntAtLeast("hidden_dim", 0, 1), layer.IntAtLeast("mlp_dim", 0, 1),
            layer.Bool("use_mha_bias", true), layer.Bool("use_mlp_bias", true), layer.DoubleAtLeast("dropout_rate", 0, 0),
            layer.DoubleAtLeast("attention_dropout", 0, 0), layer.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0));
        return spec.KeyDim >= 1 ? spec : throw layer.ConfigError("num_heads", $"must not exceed hidden_dim ({spec.HiddenDim})");
    }

    /// <summary>Each head's size, <c>hidden_dim // num_heads</c>.</summary>
    public int KeyDim => HiddenDim / NumHeads;
}
