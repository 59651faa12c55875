namespace KerasPort.Specs.Attention;

/// <summary>
/// Keras <c>Attention</c>, Luong-style (keras/src/layers/attention/attention.py), called on <c>[query, value, key?]</c>:
/// <c>score_mode="dot"</c> scores <c>query @ key^T</c> (times <c>scale</c> with <c>use_scale</c>), <c>"concat"</c>
/// scores <c>concat_score_weight * sum(tanh(scale * (query + key)), -1)</c>; then a masked softmax over the values.
/// </summary>
/// <param name="Concat">Whether <c>score_mode</c> is <c>concat</c> (else <c>dot</c>).</param>
/// <param name="UseScale">Whether the scores are scaled by a learned scalar (default false).</param>
/// <param name="Causal">tf.keras 2.9 and earlier configured causal masking on the layer instead of in the call.</param>
public sealed record AttentionSpec(bool Concat, bool UseScale, bool Causal) : LayerSpec, ILayerSpec<AttentionSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Attention"];

    /// <inheritdoc />
    public static AttentionSpec Read(LayerReader layer) =>
        new(layer.OneOf("score_mode", "dot", "dot", "concat") == "concat", layer.Bool("use_scale", false), layer.Bool("causal", false));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [.. UseScale ? [new WeightRole("scale")] : Array.Empty<WeightRole>(), .. Concat ? [new WeightRole("concat_score_weight")] : Array.Empty<WeightRole>()];
}
