namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>TransformerDecoder</c> (keras_hub/src/layers/modeling/transformer_decoder.py): causal self-attention
/// (a <c>CachedMultiHeadAttention</c> with <c>hidden / num_heads</c> per head), cross-attention over an encoder
/// sequence when the layer was built with one, and a two-Dense feed-forward block, each a residual with its
/// LayerNormalization before (<c>normalize_first</c>) or after. The sizes come from the shapes the layer was built
/// with (<c>decoder_sequence_shape</c>, <c>encoder_sequence_shape</c>: its <c>get_config</c> records them).
/// </summary>
/// <param name="IntermediateDim">Width of the feed-forward block's first Dense.</param>
/// <param name="NumHeads">Attention heads.</param>
/// <param name="Dropout">Dropout rate of the attention and the residual branches.</param>
/// <param name="Activation">The feed-forward activation's name.</param>
/// <param name="LayerNormEpsilon">The LayerNormalizations' epsilon.</param>
/// <param name="NormalizeFirst">Pre-LN (true) or post-LN residual blocks.</param>
/// <param name="HiddenDim">The decoder sequence's feature size.</param>
/// <param name="HasCrossAttention">Whether the layer was built with an encoder sequence.</param>
/// <param name="AttentionClass">The registered class of its attention layers: keras_hub's <c>WhisperDecoder</c>
/// (keras_hub/src/models/whisper/whisper_decoder.py <c>build</c>) is this layer with WhisperCachedMultiHeadAttention,
/// and always with cross-attention.</param>
public sealed record TransformerDecoderSpec(int IntermediateDim, int NumHeads, double Dropout, string Activation, double LayerNormEpsilon,
    bool NormalizeFirst, int HiddenDim, bool HasCrossAttention, string AttentionClass) : LayerSpec, ILayerSpec<TransformerDecoderSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>TransformerDecoder", "keras_hub>WhisperDecoder"];

    /// <inheritdoc />
    public static TransformerDecoderSpec Read(LayerReader layer)
    {
        bool whisper = layer.ClassName == "WhisperDecoder";
        return new(layer.IntAtLeast("intermediate_dim", 0, 1), TransformerBlock.NumHeads(layer), layer.DoubleAtLeast("dropout", 0, 0), layer.ActivationName(),
            layer.DoubleAtLeast("layer_norm_epsilon", 1e-5, 0), layer.Bool("normalize_first", false), TransformerBlock.HiddenDim(layer, "decoder_sequence_shape"),
            whisper || layer.Has("encoder_sequence_shape"),
            whisper ? CachedMultiHeadAttentionSpec.WhisperClass : "keras_hub>CachedMultiHeadAttention");
    }

    /// <summary>Size of each attention head: <c>hidden_dim // num_heads</c>.</summary>
    public int HeadDim => HiddenDim / NumHeads;
}
