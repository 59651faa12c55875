namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Keras <c>MultiHeadAttention</c>: projects query, key (defaults to value) and value into <c>num_heads</c> heads
/// (<c>EinsumDense</c> sub-layers <c>query</c>, <c>key</c>, <c>value</c>), attends over <c>attention_axes</c> with
/// scores scaled by <c>1/sqrt(key_dim)</c>, and projects back (<c>attention_output</c>) to <c>output_shape</c>
/// or the query's last dimension. Masks: the inputs' masks, <c>attention_mask</c> and <c>use_causal_mask</c>.
/// </summary>
public sealed class MultiHeadAttention : KerasLayer
{
    readonly MultiHeadCore core;

    /// <summary>Builds the layer.</summary>
    public MultiHeadAttention(LayerContext context, MultiHeadAttentionSpec spec) : base(context) =>
        core = new MultiHeadCore(context, Own, spec, spec.OutputShape, spec.AttentionAxes);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => core.Call(AttentionArguments.FromSignature(arguments, Name, queryMaskFromTensorOnly: true));

    /// <summary>
    /// The query tensor's own Keras mask: multi_head_attention.py <c>call</c> sets it on the output (line 698), and Layer.__call__'s previous mask is the first argument's otherwise.
    /// </summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        AttentionArguments.FromSignature(arguments, Name, queryMaskFromTensorOnly: true).QueryMask;
}
