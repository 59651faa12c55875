using KerasPort.Converters;

namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>TransformerEncoder</c> (keras_hub/src/layers/modeling/transformer_encoder.py): self-attention (Keras's
/// MultiHeadAttention, <c>hidden / num_heads</c> per head) under the padding/attention mask, then Dense(intermediate,
/// activation) and Dense(hidden); each block a residual with its LayerNormalization before (<c>normalize_first</c>) or
/// after. Its config does not record the feature size it was built for, so that comes from the feed-forward output
/// kernel <c>[intermediate, hidden]</c>.
/// </summary>
/// <param name="IntermediateDim">Width of the feed-forward block's first Dense.</param>
/// <param name="NumHeads">Attention heads.</param>
/// <param name="Dropout">Dropout rate of the attention and the residual branches.</param>
/// <param name="Activation">The feed-forward activation's name.</param>
/// <param name="LayerNormEpsilon">The LayerNormalizations' epsilon.</param>
/// <param name="NormalizeFirst">Pre-LN (true) or post-LN residual blocks.</param>
/// <param name="HiddenDim">The input's feature size.</param>
/// <param name="AttentionClass">The registered class of its attention layer: keras_hub's <c>WhisperEncoder</c>
/// (keras_hub/src/models/whisper/whisper_encoder.py <c>build</c>) is this layer with WhisperCachedMultiHeadAttention.</param>
public sealed record TransformerEncoderSpec(int IntermediateDim, int NumHeads, double Dropout, string Activation, double LayerNormEpsilon,
    bool NormalizeFirst, int HiddenDim, string AttentionClass) : LayerSpec, ILayerSpec<TransformerEncoderSpec>
{
    /// <summary>The weights group of the feed-forward output Dense, whose kernel's last axis is the feature size.</summary>
    public const string OutputDenseKernel = "_feedforward_output_dense/vars/0";

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>TransformerEncoder", "keras_hub>WhisperEncoder"];

    /// <inheritdoc />
    public static TransformerEncoderSpec Read(LayerReader layer)
    {
        var kernel = layer.Weights.FirstOrDefault(w => w.Name == OutputDenseKernel)
            ?? throw new WeightMismatchException(layer.Name, OutputDenseKernel, "TransformerEncoder needs its feed-forward output kernel to know its feature size");
        int hidden = (int)kernel.Value.Shape[^1];
        int heads = TransformerBlock.NumHeads(layer);
        if (hidden < heads) throw layer.ConfigError("num_heads", $"{heads} heads leave no feature of the {hidden} to each (key_dim would be 0)");
        return new(layer.IntAtLeast("intermediate_dim", 0, 1), heads, layer.DoubleAtLeast("dropout", 0, 0), layer.ActivationName(),
            layer.DoubleAtLeast("layer_norm_epsilon", 1e-5, 0), layer.Bool("normalize_first", false), hidden,
            layer.ClassName == "WhisperEncoder" ? CachedMultiHeadAttentionSpec.WhisperClass : "MultiHeadAttention");
    }

    /// <summary>Size of each attention head: <c>hidden_dim // num_heads</c>.</summary>
    public int HeadDim => HiddenDim / NumHeads;
}
