namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>T5TransformerLayer</c> (keras_hub/src/models/t5/t5_transformer_layer.py): pre-norm (T5LayerNorm)
/// self-attention, cross-attention over the encoder output (decoder layers), and a feed-forward block
/// <c>output_projector(activation(input_projector(x)) * gate_projector(x))</c> (the gate only with
/// <c>use_gated_activation</c>), each a residual. The call returns the hidden states and the position bias.
/// </summary>
/// <param name="IsDecoder">Decoder layer: cross-attention, and causal self-attention when called with <c>use_causal_mask</c>.</param>
/// <param name="HiddenDim">The hidden size.</param>
/// <param name="IntermediateDim">The feed-forward width.</param>
/// <param name="KeyValueDim">Each attention head's size.</param>
/// <param name="Dropout">Dropout rate (training only).</param>
/// <param name="Activation">The feed-forward activation.</param>
/// <param name="LayerNormEpsilon">The T5LayerNorms' epsilon.</param>
/// <param name="NumHeads">The attention heads.</param>
/// <param name="UseGatedActivation">Whether the feed-forward is gated.</param>
/// <param name="UseRelativeAttentionBias">Whether the self-attention holds the relative position bias table (the first layer of a stack).</param>
public sealed record T5TransformerLayerSpec(bool IsDecoder, int HiddenDim, int IntermediateDim, int KeyValueDim, double Dropout, string Activation,
    double LayerNormEpsilon, int NumHeads, bool UseGatedActivation, bool UseRelativeAttentionBias) : LayerSpec, ILayerSpec<T5TransformerLayerSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>T5TransformerLayer"];

    /// <inheritdoc />
    public static T5TransformerLayerSpec Read(LayerReader layer) => new(layer.Bool("is_decoder", false), layer.IntAtLeast("hidden_dim", 0, 1),
        layer.IntAtLeast("intermediate_dim", 0, 1), layer.IntAtLeast("key_value_dim", 0, 1), layer.DoubleAtLeast("dropout", 0, 0),
        layer.ActivationName(), layer.DoubleAtLeast("layer_norm_epsilon", 1e-6, 0), layer.IntAtLeast("num_heads", 0, 1),
        layer.Bool("use_gated_activation", false), layer.Bool("use_relative_attention_bias", false));
}
