using KerasPort.Runtime.Layers.Attention;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Gemma;

/// <summary>
/// KerasHub's <c>CachedGemmaAttention</c> (keras_hub/src/models/gemma/gemma_attention.py) and
/// <c>CachedGemma3Attention</c> (keras_hub/src/models/gemma3/gemma3_attention.py), as the decoder blocks build them:
/// query/key/value <c>EinsumDense</c> projections (Gemma 3: RMS-normalized per head), RoPE, queries scaled by
/// <c>head_dim^-0.5</c>, grouped-query logits (optionally soft-capped), a masked softmax (causal and padding mask, and
/// the sliding window), and the output projection; queries that may attend to nothing get zeros.
/// </summary>
internal sealed class CachedGemmaAttention : KerasLayer
{
    /// <summary>The mask key of <see cref="Call"/>: the decoder block's <c>[batch, query, key]</c> attention mask.</summary>
    public const string MaskKeyword = "attention_mask";

    readonly GemmaDecoderBlockSpec spec;
    readonly RotaryEmbeddingSpec rope;
    readonly HubSublayers sublayers;
    readonly KerasLayer query, key, value, output;
    readonly GemmaRMSNormalization? queryNorm, keyNorm;

    /// <summary>Builds the attention of a decoder block described by <paramref name="spec"/>.</summary>
    public CachedGemmaAttention(LayerContext context, GemmaDecoderBlockSpec spec) : base(context)
    {
        this.spec = spec;
        rope = new RotaryEmbeddingSpec(MaxWavelength: spec.RopeWavelength, ScalingFactor: spec.RopeScalingFactor);
        sublayers = new HubSublayers(context);
        query = sublayers.EinsumDense("query_dense", "btd,ndh->btnh", null, spec.NumQueryHeads, spec.HeadDim);
        key = sublayers.EinsumDense("key_dense", "bsd,kdh->bskh", null, spec.NumKeyValueHeads, spec.HeadDim);
        value = sublayers.EinsumDense("value_dense", "bsd,kdh->bskh", null, spec.NumKeyValueHeads, spec.HeadDim);
        output = sublayers.EinsumDense("output_dense", "btnh,nhd->btd", null, spec.HiddenDim);
        if (spec.UseQueryKeyNorm)
        {
            // gemma3_attention.py builds them with its own layer_norm_epsilon, which the block leaves at 1e-6.
            queryNorm = GemmaRMSNormalization.Sublayer(sublayers, "query_norm", 1e-6);
            keyNorm = GemmaRMSNormalization.Sublayer(sublayers, "key_norm", 1e-6);
        }
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [Attend(arguments.Input, (Tensor)arguments.Kwargs[MaskKeyword]!, null, 0).Output];

    /// <summary>
    /// The attention output for <paramref name="x"/> at positions <paramref name="cacheUpdateIndex"/> onwards under the
    /// boolean <paramref name="mask"/> (<c>[batch, query, key]</c>); with a <paramref name="cache"/>
    /// (<c>[batch, 2, length, kv_heads, head_dim]</c>), keys and values are written into a copy of it, which is returned.
    /// </summary>
    public (Tensor Output, Tensor? Cache) Attend(Tensor x, Tensor mask, Tensor? cache, long cacheUpdateIndex)
    {
        using var scope = NewDisposeScope();
        var q = Rotate(Project(query, queryNorm, x), cacheUpdateIndex);
        var k = Rotate(Project(key, keyNorm, x), cacheUpdateIndex);
        var v = HubSublayers.Apply(value, x);
        Tensor? updated = null;
        if (cache is not null)
        {
            // ops.slice_update of both halves at [0, cache_update_index, 0, 0], then ops.stack(axis=1).
            updated = cache.clone();
            long steps = x.size(1);
            updated.select(1, 0).narrow(1, cacheUpdateIndex, steps).copy_(k);
            updated.select(1, 1).narrow(1, cacheUpdateIndex, steps).copy_(v);
            k = updated.select(1, 0);
            v = updated.select(1, 1);
        }
        var scoresMask = spec.UseSlidingWindowAttention ? mask.logical_and(SlidingWindow(x.size(1), k.size(1), cacheUpdateIndex, x.device)) : mask;
        var attended = Scores(q, k, v, scoresMask);
        // Queries that may attend to nothing get zeros (gemma_attention.py call: no_attended_tokens, from the mask
        // before the sliding window).
        var nothing = mask.logical_not().all(-1, keepdim: true).unsqueeze(-1);
        attended = attended.masked_fill(nothing, Of(0.0));
        var result = HubSublayers.Apply(output, attended);
        return (result.MoveToOuterDisposeScope(), updated?.MoveToOuterDisposeScope());
    }

    static Tensor Project(KerasLayer projection, GemmaRMSNormalization? norm, Tensor x)
    {
        var projected = HubSublayers.Apply(projection, x);
        return norm is null ? projected : norm.Normalize(projected);
    }

    Tensor Rotate(Tensor x, long startIndex)
    {
        var rotated = RotaryEmbedding.Apply(x, rope, startIndex);
        if (!spec.InterleaveRotatedHalves) return rotated;
        // gemma_attention.py _apply_rope: reshape(stack(split(x, 2, -1), -1), shape) interleaves the two halves.
        var halves = rotated.chunk(2, -1);
        return stack([halves[0], halves[1]], -1).reshape(rotated.shape);
    }

    /// <summary>gemma_attention.py <c>_compute_attention</c> without the fused op (keras-hub uses it only on GPU/TPU).</summary>
    Tensor Scores(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        q = q * Of(1 / Math.Sqrt(spec.HeadDim));
        long batch = q.size(0), steps = q.size(1);
        q = q.reshape(batch, steps, spec.NumKeyValueHeads, spec.NumQueryHeads / spec.NumKeyValueHeads, spec.HeadDim);
        var logits = einsum("btkgh,bskh->bkgts", q, k);
        if (spec.LogitSoftCap is { } cap) logits = logits.div(Of(cap)).tanh().mul(Of(cap));
        // keras Softmax(mask): masked logits become -1e9, and fully masked rows 0 (zeroed by the caller anyway).
        var probabilities = AttentionMath.MaskedSoftmax(logits, mask.unsqueeze(1).unsqueeze(1), 1);
        var results = einsum("bkgts,bskh->btkgh", probabilities, v);
        return results.reshape(batch, steps, spec.NumQueryHeads, spec.HeadDim);
    }

    /// <summary>
    /// gemma_attention.py <c>_mask_sliding_window</c>: keys within <c>sliding_window_size - 1</c> positions of the
    /// query (a band of <c>triu(-(w-1)) * tril(w-1)</c>), rows sliced from the cache index, <c>[1, query, key]</c>.
    /// </summary>
    Tensor SlidingWindow(long steps, long keys, long cacheUpdateIndex, Device device)
    {
        var queryPositions = arange(Of(cacheUpdateIndex), Of(cacheUpdateIndex + steps), Of(1L), ScalarType.Int64, device).unsqueeze(1);
        var keyPositions = arange(Of(0L), Of(keys), Of(1L), ScalarType.Int64, device).unsqueeze(0);
        return (queryPositions - keyPositions).abs().lt(Of((long)spec.SlidingWindowSize)).unsqueeze(0);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            sublayers.Dispose();
        base.Dispose(disposing);
    }
}
