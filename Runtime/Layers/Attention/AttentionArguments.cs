namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// The call arguments of an attention layer, bound by name: query, value, key (defaults to value), their masks,
/// an explicit attention mask and the <c>return_attention_scores</c> / <c>use_causal_mask</c> flags. Masks are
/// boolean. <c>training</c> is ignored (dropout is the identity at inference).
/// </summary>
internal sealed record AttentionArguments(
    Tensor Query, Tensor Value, Tensor Key,
    Tensor? QueryMask, Tensor? ValueMask, Tensor? KeyMask, Tensor? AttentionMask,
    bool ReturnScores, bool UseCausalMask)
{
    /// <summary>
    /// Binds <c>MultiHeadAttention</c>-style arguments: <c>call(query, value, key=None, query_mask=None, value_mask=None,
    /// key_mask=None, attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False)</c>.
    /// A mask not written in the call is the one Keras attached to the input tensor upstream (keras/src/layers/layer.py
    /// <c>__call__</c> step 6 fills <c>value_mask</c>, and <c>key_mask</c> when a key tensor is passed; tf.keras files
    /// rely on propagation). With <paramref name="queryMaskFromTensorOnly"/> the query mask is always the query
    /// tensor's own mask, even when the call writes <c>query_mask</c>: MultiHeadAttention.call in Keras 3.15.1
    /// overwrites its argument with <c>backend.get_keras_mask(query)</c> (multi_head_attention.py line 628).
    /// </summary>
    public static AttentionArguments FromSignature(CallArguments arguments, string layerName, bool queryMaskFromTensorOnly)
    {
        var query = TensorArgument(arguments, 0, "query") ?? throw new FormatException($"layer '{layerName}' is called without a query");
        var value = TensorArgument(arguments, 1, "value") ?? throw new FormatException($"layer '{layerName}' is called without a value");
        var key = TensorArgument(arguments, 2, "key");
        return new AttentionArguments(query, value, key ?? value,
            queryMaskFromTensorOnly ? AsBoolOrNull(arguments.MaskOf(query)) : MaskArgument(arguments, "query_mask", query),
            MaskArgument(arguments, "value_mask", value),
            MaskArgument(arguments, "key_mask", key),
            arguments.Kwargs.GetValueOrDefault("attention_mask") is Tensor explicitMask ? AsBool(explicitMask) : null,
            Flag(arguments, "return_attention_scores"),
            Flag(arguments, "use_causal_mask"));
    }

    /// <summary>
    /// Binds the arguments of <c>Attention</c>-style layers: <c>call(inputs=[query, value, key?], mask=[query_mask,
    /// value_mask, key_mask?], return_attention_scores, use_causal_mask)</c>. Without a <c>mask</c> keyword, the masks
    /// are those Keras attached to the input tensors upstream.
    /// </summary>
    public static AttentionArguments FromInputList(CallArguments arguments, string layerName)
    {
        var inputs = arguments.Inputs;
        if (inputs.Count is < 2 or > 3)
            throw new FormatException($"layer '{layerName}' takes a list of 2 or 3 tensors [query, value, key], got {inputs.Count}");
        Tensor? QueryOrValueMask(int index) => arguments.Kwargs.TryGetValue("mask", out var written)
            ? written is IReadOnlyList<object?> masks && index < masks.Count && masks[index] is Tensor m ? AsBool(m) : null
            : arguments.MaskOf(inputs[index]) is { } propagated ? AsBool(propagated) : null;
        return new AttentionArguments(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : inputs[1],
            QueryOrValueMask(0), QueryOrValueMask(1), null, null,
            Flag(arguments, "return_attention_scores"),
            Flag(arguments, "use_causal_mask"));
    }

    /// <summary>
    /// The shape of the tensor the layer's first call bound to <paramref name="name"/> (positional argument
    /// <paramref name="position"/>, or the keyword), as <see cref="FromSignature"/> binds it; null when the call
    /// did not pass it or the shapes are unknown (a file with weights).
    /// </summary>
    public static long[]? ShapeOf(LayerContext context, int position, string name) =>
        context.InputShapes is { } positional && position < positional.Count
            ? positional[position]
            : context.KeywordInputShapes?.GetValueOrDefault(name);

    static Tensor? TensorArgument(CallArguments arguments, int position, string name) =>
        position < arguments.Args.Count ? arguments.Args[position] as Tensor : arguments.Kwargs.GetValueOrDefault(name) as Tensor;

    static Tensor? MaskArgument(CallArguments arguments, string name, Tensor? input) =>
        AsBoolOrNull(arguments.Kwargs.TryGetValue(name, out var written) ? written as Tensor : input is null ? null : arguments.MaskOf(input));

    static Tensor? AsBoolOrNull(Tensor? mask) => mask is null ? null : AsBool(mask);

    static bool Flag(CallArguments arguments, string name) =>
        arguments.Kwargs.GetValueOrDefault(name) is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>Keras casts masks to bool (non-zero is true) before using them.</summary>
    static Tensor AsBool(Tensor mask) => mask.dtype == ScalarType.Bool ? mask : mask.to_type(ScalarType.Bool);
}
