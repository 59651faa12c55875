namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>T5MultiHeadAttention</c> (keras_hub/src/models/t5/t5_multi_head_attention.py): bias-free query, key,
/// value and output Dense projections, unscaled scores <c>q k^T + position_bias</c>, softmax. The position bias is the
/// one passed in or, when none is, computed here: from the learned per-bucket table (<c>use_relative_attention_bias</c>)
/// or zeros, plus <c>(1 - mask) * -1e9</c>; the layer returns it as its second output for the next layers.
/// </summary>
/// <param name="IsDecoder">Decoder attention: relative positions are bucketed one-sided (causal).</param>
/// <param name="HiddenDim">The output size.</param>
/// <param name="KeyValueDim">Each head's size.</param>
/// <param name="NumHeads">The heads.</param>
/// <param name="Dropout">Dropout of the attention probabilities (training only).</param>
/// <param name="UseRelativeAttentionBias">Whether the layer holds the relative position bias table (<c>embeddings</c>, 32 buckets x heads).</param>
public sealed record T5MultiHeadAttentionSpec(bool IsDecoder, int HiddenDim, int KeyValueDim, int NumHeads, double Dropout, bool UseRelativeAttentionBias)
    : LayerSpec, ILayerSpec<T5MultiHeadAttentionSpec>
{
    /// <summary>The number of relative position buckets (<c>relative_attention_buckets</c>).</summary>
    public const int Buckets = 32;

    /// <summary>The distance from which all relative positions share a bucket (<c>relative_attention_max_distance</c>).</summary>
    public const int MaxDistance = 128;

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>T5MultiHeadAttention"];

    /// <inheritdoc />
    public static T5MultiHeadAttentionSpec Read(LayerReader layer) => new(layer.Bool("is_decoder", false), layer.IntAtLeast("hidden_dim", 0, 1),
        layer.IntAtLeast("key_value_dim", 0, 1), layer.IntAtLeast("num_heads", 0, 1), layer.DoubleAtLeast("dropout", 0, 0),
        layer.Bool("use_relative_attention_bias", false));

    /// <summary>The projections' width, <c>num_heads * key_value_dim</c>.</summary>
    public int InnerDim => NumHeads * KeyValueDim;

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [new("key_projector/kernel"), new("output_projector/kernel"), new("query_projector/kernel"), new("value_projector/kernel"),
         .. UseRelativeAttentionBias ? [new WeightRole("embeddings")] : Array.Empty<WeightRole>()];
}
