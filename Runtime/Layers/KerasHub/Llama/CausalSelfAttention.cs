using KerasPort.Runtime.Layers.Attention;

namespace KerasPort.Runtime.Layers.KerasHub.Llama;

/// <summary>
/// The cached grouped-query self-attention that KerasHub's <c>LlamaAttention</c>, <c>CachedMistralAttention</c> and
/// <c>QwenAttention</c> compute (<see cref="CausalAttentionSpec"/>; llama_attention.py <c>call</c>,
/// <c>_compute_attention</c>, <c>_masked_softmax</c>), each subclass supplying its RoPE.
/// </summary>
/// <remarks>
/// <para>Call arguments as in keras-hub: <c>hidden_states</c>, <c>attention_mask</c> (<c>(batch, queries, keys)</c>,
/// nonzero where attended), <c>cache</c> and <c>cache_update_index</c>. The cache is keras-hub's:
/// <c>(batch, 2, max_length, num_key_value_heads, head_dim)</c>, keys then values, already rotated. With a cache and
/// an index the call's keys and values are written into it at the index (queries and keys rotated from that position)
/// and the layer returns the output and the updated cache; with a cache and no index it attends to the cache as is.</para>
/// <para>Scores take the einsum path of <c>_compute_attention</c> (what the golden data ran: keras-hub's fused path needs a
/// torch with <c>can_use_flash_attention</c>): masked positions get -1e9 before the float32 softmax and 0 after it,
/// as Keras's <c>Softmax</c> does with a mask (keras/src/layers/activations/softmax.py).</para>
/// </remarks>
public abstract class CausalSelfAttention : KerasLayer
{
    const double LargeNegative = -1e9;

    readonly EinsumProjection query, key, value, output;
    readonly Func<Tensor, long, Tensor> rope;
    readonly int groups;
    readonly double inverseNormFactor;
    readonly int? slidingWindow;

    /// <summary>Builds the projections from the layer's weights (<c>_query_dense/vars/0</c>, ...); <paramref name="rope"/> rotates a <c>(batch, length, heads, head_dim)</c> tensor from a start position.</summary>
    protected CausalSelfAttention(LayerContext context, CausalAttentionSpec spec, Func<Tensor, long, Tensor> rope) : base(context)
    {
        this.rope = rope;
        long hidden = context.InputDim(-1) is > 0 and var known ? known
            : context.Weights.FirstOrDefault(w => w.Name == "_query_dense/vars/0")?.Value.Shape[0] ?? -1;
        if (hidden <= 0) throw new WeightMismatchException(context.Name, "query", $"{context.ClassName} has no query kernel among its weights");
        long headDim = spec.HeadDim ?? hidden / spec.QueryHeads;
        context.ExpectWeightCount(spec.UseBias ? 7 : 4);
        EinsumProjection Projection(string name, long heads, bool bias) =>
            EinsumProjection.Create(context, name, ["_" + name + "_dense"], bias, [hidden, heads, headDim], [heads, headDim], Own);
        query = Projection("query", spec.QueryHeads, spec.UseBias);
        key = Projection("key", spec.KeyValueHeads, spec.UseBias);
        value = Projection("value", spec.KeyValueHeads, spec.UseBias);
        output = EinsumProjection.Create(context, "attention_output", ["_output_dense"], false, [spec.QueryHeads, headDim, hidden], [hidden], Own);
        groups = spec.QueryHeads / spec.KeyValueHeads;
        (KeyValueHeads, HeadDim) = (spec.KeyValueHeads, headDim);
        inverseNormFactor = 1.0 / Math.Sqrt(headDim);
        slidingWindow = spec.SlidingWindow;
    }

    /// <summary>The key/value heads, the cache's fourth axis.</summary>
    public long KeyValueHeads { get; }

    /// <summary>The size of a head, the cache's last axis.</summary>
    public long HeadDim { get; }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var hidden = arguments.Kwargs.GetValueOrDefault("hidden_states") as Tensor ?? arguments.Input;
        var mask = arguments.Kwargs.GetValueOrDefault("attention_mask") as Tensor;
        var cache = arguments.Kwargs.GetValueOrDefault("cache") as Tensor;
        long? index = CacheIndex(arguments.Kwargs.GetValueOrDefault("cache_update_index"));
        var (result, updated) = Attend(hidden, mask, cache, index);
        return updated is null ? [result] : [result, updated];
    }

    /// <summary>A <c>cache_update_index</c> argument: a number, a scalar tensor, or none.</summary>
    internal static long? CacheIndex(object? argument) => argument switch
    {
        Tensor index => index.to_type(ScalarType.Int64).item<long>(),
        JsonValue index => index.GetValue<long>(),
        _ => null,
    };

    /// <summary>
    /// The attention of <paramref name="hidden"/> (<c>(batch, length, hidden_dim)</c>) to itself, or to the
    /// <paramref name="cache"/> updated at <paramref name="cacheUpdateIndex"/>, under <paramref name="attentionMask"/>;
    /// returns the output and, with a cache, the updated cache.
    /// </summary>
    public (Tensor Output, Tensor? Cache) Attend(Tensor hidden, Tensor? attentionMask, Tensor? cache, long? cacheUpdateIndex)
    {
        long start = cacheUpdateIndex ?? 0;
        var q = rope(query.Apply(hidden), start);
        Tensor k, v;
        if (cache is null)
        {
            if (cacheUpdateIndex is not null)
                throw new ArgumentException($"{ClassName} '{Name}': cache_update_index should not be set if cache is None");
            k = rope(key.Apply(hidden), start);
            v = value.Apply(hidden);
        }
        else if (cacheUpdateIndex is null)
        {
            (k, v) = (cache.select(1, 0), cache.select(1, 1));
        }
        else
        {
            // ops.slice_update(cache, [0, index, 0, 0], update) for keys and values, then stacked again.
            k = SliceUpdate(cache.select(1, 0), start, rope(key.Apply(hidden), start));
            v = SliceUpdate(cache.select(1, 1), start, value.Apply(hidden));
            cache = stack([k, v], 1);
        }
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, dim: 2);
            v = v.repeat_interleave(groups, dim: 2);
        }
        // einsum("bquh,bkuh->buqk") then the scale, as Keras multiplies the scores (not the queries).
        var scores = q.transpose(1, 2).MatmulChecked(k.permute(0, 2, 3, 1)) * Of(inverseNormFactor);
        var mask = WindowedMask(attentionMask, q.size(1), k.size(1), start);
        var probabilities = MaskedSoftmax(scores.to_type(ScalarType.Float32), mask).to_type(q.dtype);
        var attended = probabilities.MatmulChecked(v.transpose(1, 2)).transpose(1, 2);
        return (output.Apply(attended), cache);
    }

    /// <summary>
    /// The attention mask as booleans, narrowed to the sliding window where the layer has one (keys at least
    /// <c>window</c> positions before the query are masked: mistral_transformer_decoder.py
    /// <c>_compute_self_attention_mask</c>, qwen_attention.py <c>_mask_sliding_window</c>).
    /// </summary>
    Tensor? WindowedMask(Tensor? attentionMask, long queries, long keys, long start)
    {
        var mask = attentionMask?.gt(Of(0));
        if (slidingWindow is not { } window) return mask;
        var (i, j) = Positions(queries, keys, start, attentionMask?.device ?? CPU);
        var band = i.lt(j.add(Of((long)window), Of(1L))).unsqueeze(0);
        return mask is null ? band : mask.logical_and(band);
    }

    /// <summary>Query positions <c>(queries, 1)</c> from <paramref name="start"/> and key positions <c>(1, keys)</c>.</summary>
    internal static (Tensor Queries, Tensor Keys) Positions(long queries, long keys, long start, Device device) =>
        (arange(Of(start), Of(start + queries), Of(1L), dtype: ScalarType.Int64, device: device).unsqueeze(1),
         arange(Of(0L), Of(keys), Of(1L), dtype: ScalarType.Int64, device: device).unsqueeze(0));

    static Tensor MaskedSoftmax(Tensor scores, Tensor? mask)
    {
        if (mask is null) return scores.softmax(-1);
        var attended = mask.unsqueeze(1);
        var probabilities = where(attended, scores, tensor(LargeNegative, scores.dtype, scores.device)).softmax(-1);
        return where(attended, probabilities, zeros_like(probabilities));
    }

    static Tensor SliceUpdate(Tensor cache, long start, Tensor update)
    {
        long length = update.size(1), total = cache.size(1);
        if (start < 0 || start + length > total)
            throw new ArgumentException($"a cache update of {length} positions at {start} does not fit a cache of {total}");
        return cat([cache.narrow(1, 0, start), update.to_type(cache.dtype), cache.narrow(1, start + length, total - start - length)], 1);
    }
}
