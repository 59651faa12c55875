namespace KerasPort.Specs.Attention;

/// <summary>
/// Keras <c>AdditiveAttention</c>, Bahdanau-style (keras/src/layers/attention/additive_attention.py), called on
/// <c>[query, value, key?]</c>: <c>scores = sum(scale * tanh(query + key), -1)</c>, then a masked softmax over the values.
/// </summary>
/// <param name="UseScale">Whether the scores use the learned <c>scale</c> of the query's last dimension (default true).</param>
/// <param name="Causal">tf.keras 2.9 and earlier configured causal masking on the layer instead of in the call.</param>
public sealed record AdditiveAttentionSpec(bool UseScale, bool Causal) : LayerSpec, ILayerSpec<AdditiveAttentionSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["AdditiveAttention"];

    /// <inheritdoc />
    public static AdditiveAttentionSpec Read(LayerReader layer) => new(layer.Bool("use_scale", true), layer.Bool("causal", false));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => UseScale ? [new("scale")] : [];
}
