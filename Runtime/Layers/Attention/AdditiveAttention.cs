namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Keras <c>AdditiveAttention</c> (Bahdanau-style), called on <c>[query, value, key?]</c>:
/// <c>scores = sum(scale * tanh(query + key), -1)</c>, then a masked softmax over the values.
/// Weight: <c>scale</c> of shape <c>[dim]</c> when <c>use_scale</c> (the default).
/// </summary>
public sealed class AdditiveAttention : KerasLayer
{
    readonly Tensor? scale;
    readonly bool causalByConfig;

    /// <summary>Builds the layer.</summary>
    public AdditiveAttention(LayerContext context, AdditiveAttentionSpec spec) : base(context)
    {
        context.ExpectWeightCount(spec.WeightRoles.Count);
        // keras/src/layers/attention/additive_attention.py build: scale is (query's last dimension,).
        if (spec.UseScale) scale = Own(context.Weight(0, "scale", context.InputDim(-1)));
        causalByConfig = spec.Causal;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var call = AttentionArguments.FromInputList(arguments, Name);
        var tanh = call.Query.unsqueeze(-2).Plus(call.Key.unsqueeze(-3)).tanh();
        return DenseAttention.Apply((scale is null ? tanh : scale * tanh).sum(-1), call, causalByConfig);
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        AttentionArguments.FromInputList(arguments, Name).QueryMask;
}
