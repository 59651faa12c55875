namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Keras <c>GroupedQueryAttention</c> (exported as <c>GroupQueryAttention</c>): multi-head attention on
/// <c>(batch, length, features)</c> inputs with <c>num_query_heads</c> query heads sharing
/// <c>num_key_value_heads</c> key/value heads of size <c>head_dim</c>; the output has the query's feature size.
/// </summary>
public sealed class GroupedQueryAttention : KerasLayer
{
    readonly MultiHeadCore core;

    /// <summary>Builds the layer.</summary>
    public GroupedQueryAttention(LayerContext context, GroupedQueryAttentionSpec spec) : base(context) =>
        core = new MultiHeadCore(context, Own, spec, outputShape: null, attentionAxes: [1]);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => core.Call(AttentionArguments.FromSignature(arguments, Name, queryMaskFromTensorOnly: false));

    /// <summary>
    /// The query tensor's own Keras mask: the layer keeps Layer.compute_mask, whose previous mask is the first argument's (keras/src/layers/layer.py <c>__call__</c>, "Fallback to the mask attached to the first input tensor"), not an explicit <c>query_mask</c>.
    /// </summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        AttentionArguments.FromSignature(arguments, Name, queryMaskFromTensorOnly: true).QueryMask;
}
