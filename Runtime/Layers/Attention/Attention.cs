namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Keras <c>Attention</c> (Luong-style), called on <c>[query, value, key?]</c>. <c>score_mode="dot"</c>:
/// <c>scores = query @ key^T</c>, times <c>scale</c> with <c>use_scale</c>; <c>"concat"</c>:
/// <c>concat_score_weight * sum(tanh(scale * (query + key)), -1)</c>. Then a masked softmax over the values.
/// Weights in Keras order: <c>scale</c> (if <c>use_scale</c>), <c>concat_score_weight</c> (if concat), both scalars.
/// </summary>
public sealed class Attention : KerasLayer
{
    readonly bool concat;
    readonly Tensor? scale;
    readonly Tensor? concatScoreWeight;
    readonly bool causalByConfig;

    /// <summary>Builds the layer.</summary>
    public Attention(LayerContext context, AttentionSpec spec) : base(context)
    {
        concat = spec.Concat;
        context.ExpectWeightCount(spec.WeightRoles.Count);
        int index = 0;
        if (spec.UseScale) scale = Own(context.Weight(index++, "scale"));
        if (concat) concatScoreWeight = Own(context.Weight(index, "concat_score_weight"));
        causalByConfig = spec.Causal;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var call = AttentionArguments.FromInputList(arguments, Name);
        return DenseAttention.Apply(Scores(call.Query, call.Key), call, causalByConfig);
    }

    Tensor Scores(Tensor query, Tensor key)
    {
        if (!concat)
        {
            var dot = query.MatmulChecked(key.transpose(-2, -1));
            return scale is null ? dot : dot * scale;
        }
        var sum = query.unsqueeze(-2).Plus(key.unsqueeze(-3));
        return concatScoreWeight! * (scale is null ? sum : scale * sum).tanh().sum(-1);
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        AttentionArguments.FromInputList(arguments, Name).QueryMask;
}
