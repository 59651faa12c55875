using KerasPort.Runtime.Layers.Attention;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// keras_hub <c>CachedMultiHeadAttention</c> (keras_hub/src/layers/modeling/cached_multi_head_attention.py): Keras's
/// MultiHeadAttention on sequences whose call can also read and write a key/value cache, for token-by-token generation;
/// also keras_hub's <c>WhisperCachedMultiHeadAttention</c>, the same without a key bias.
/// </summary>
/// <remarks>
/// <para>The cache of one layer is one tensor <c>(batch, 2, max_length, num_heads, head_dim)</c>: index 0 of axis 1
/// holds the projected keys, index 1 the projected values, of every position generated so far (zeros beyond).</para>
/// <para><see cref="Attend"/> is the typed entry point a generation loop uses:</para>
/// <list type="bullet">
/// <item>no cache: plain attention of <c>query</c> over <c>value</c> (<c>key</c> defaults to value); no cache returned.</item>
/// <item>a cache and <c>cacheUpdateIndex</c> <c>i</c>: the keys and values projected from this call's <c>key</c>/<c>value</c>
/// (T positions) are written at positions <c>i .. i + T - 1</c> of a copy of the cache, the query attends over the whole
/// updated cache, and the updated copy is returned (the caller's tensor is not changed; seed the cache by calling with
/// the prompt at index 0 and a zero cache). The caller's <c>attentionMask</c> <c>(batch, T, max_length)</c> must hide
/// the positions not written yet (keras_hub's TransformerDecoder builds it with <c>compute_causal_mask</c>).</item>
/// <item>a cache and no index: the cache's keys and values are used as they are (a cross-attention cache filled
/// once from the encoder output); the same cache is returned.</item>
/// </list>
/// <para>The graph call (<see cref="Call"/>) takes keras_hub's signature: <c>query, value, key=None, attention_mask=None,
/// cache=None, cache_update_index=None, return_attention_scores=False</c>, and returns the output, then the scores
/// when asked for, then the cache when one was passed.</para>
/// </remarks>
public sealed class CachedMultiHeadAttention : KerasLayer
{
    readonly MultiHeadCore core;

    /// <summary>Builds the layer.</summary>
    public CachedMultiHeadAttention(LayerContext context, CachedMultiHeadAttentionSpec spec) : base(context) =>
        core = new MultiHeadCore(context, Own, new MultiHeadAttentionSpec(spec.NumHeads, spec.KeyDim, spec.ValueDim, OutputShape: null, AttentionAxes: null,
            spec.UseBias, spec.Dropout, UseGate: false, HasSlidingWindow: false), outputShape: null, attentionAxes: null, spec.KeyBias);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        object? TensorOrConstant(int position, string name) => HubSublayers.Argument(arguments, position, name);
        Tensor? TensorAt(int position, string name) => TensorOrConstant(position, name) as Tensor;
        var query = TensorAt(0, "query") ?? throw new FormatException($"layer '{Name}' is called without a query");
        var value = TensorAt(1, "value") ?? throw new FormatException($"layer '{Name}' is called without a value");
        bool returnScores = arguments.Kwargs.GetValueOrDefault("return_attention_scores") is System.Text.Json.Nodes.JsonValue flag
            && flag.TryGetValue<bool>(out var scores) && scores;
        long? index = HubSublayers.Index(TensorOrConstant(5, "cache_update_index"));
        var cache = TensorAt(4, "cache");
        var (output, attention, updated) = Run(query, value, TensorAt(2, "key"), TensorAt(3, "attention_mask"), cache, index, returnScores);
        return [output, .. attention is null ? Array.Empty<Tensor>() : [attention], .. updated is null ? Array.Empty<Tensor>() : [updated]];
    }

    /// <summary>
    /// Attention of <paramref name="query"/> <c>(batch, T, features)</c> over <paramref name="value"/> (and
    /// <paramref name="key"/>, the value by default) under <paramref name="attentionMask"/> <c>(batch, T, S)</c> (non-zero
    /// allows), with the cache rules of the class remarks. Returns the output <c>(batch, T, features)</c> and the cache to
    /// use next (null when none was passed).
    /// </summary>
    public (Tensor Output, Tensor? Cache) Attend(Tensor query, Tensor value, Tensor? key = null, Tensor? attentionMask = null,
        Tensor? cache = null, long? cacheUpdateIndex = null)
    {
        var (output, _, updated) = Run(query, value, key, attentionMask, cache, cacheUpdateIndex, false);
        return (output, updated);
    }

    (Tensor Output, Tensor? Scores, Tensor? Cache) Run(Tensor query, Tensor value, Tensor? key, Tensor? attentionMask,
        Tensor? cache, long? index, bool returnScores)
    {
        key ??= value;
        var q = core.ProjectQuery(query);
        Tensor k, v;
        if (cache is null)
        {
            if (index is not null)
                throw new ArgumentException($"layer '{Name}': cache_update_index is set without a cache");
            k = core.ProjectKey(key);
            v = core.ProjectValue(value);
        }
        else if (index is not { } start)
        {
            k = cache.select(1, 0);
            v = cache.select(1, 1);
        }
        else
        {
            // ops.slice_update(cache, [0, start, 0, 0], update) on the keys and the values, then ops.stack(axis=1).
            var keyUpdate = core.ProjectKey(key);
            long length = keyUpdate.Sizes()[1], capacity = cache.Sizes()[2];
            if (start < 0 || start + length > capacity)
                throw new ArgumentException($"layer '{Name}': positions {start}..{start + length - 1} do not fit a cache of {capacity}");
            cache = cache.clone();
            cache.select(1, 0).narrow(1, start, length).copy_(keyUpdate);
            cache.select(1, 1).narrow(1, start, length).copy_(core.ProjectValue(value));
            k = cache.select(1, 0);
            v = cache.select(1, 1);
        }
        var mask = attentionMask is null ? null : attentionMask.dtype == ScalarType.Bool ? attentionMask : attentionMask.to_type(ScalarType.Bool);
        var outputs = core.Attend(q, k, v, mask, returnScores);
        return (outputs[0], returnScores ? outputs[1] : null, cache);
    }
}
