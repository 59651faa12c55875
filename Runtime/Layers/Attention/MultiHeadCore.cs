namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// Projected multi-head dot-product attention, shared by <c>MultiHeadAttention</c> and <c>GroupedQueryAttention</c>
/// (keras/src/layers/attention/multi_head_attention.py <c>call</c>, <c>_compute_attention_mask</c>,
/// <c>_compute_attention</c>, <c>_masked_softmax</c>; grouped_query_attention.py is the same computation on 3-D
/// inputs with its key and value heads repeated). The einsum equations follow the input ranks and
/// <c>attention_axes</c> (<see cref="AttentionEquations"/>), so they are built per call.
/// </summary>
internal sealed class MultiHeadCore
{
    readonly EinsumProjection query, key, value, output;
    // Query, key and value stacked into one product, for self-attention (all three the same tensor); null when the
    // projections differ in shape, or when the layer is built for training (the copy would not follow the weights).
    readonly EinsumProjection? selfProjection;
    readonly int[]? attentionAxes;
    readonly double inverseSqrtKeyDim;
    readonly int keyValueRepeats;
    // A layer configured with dropout never takes the fused dot_product_attention path, even at inference.
    readonly bool configuredDropout;

    /// <summary>
    /// Builds the four projections from the layer's weights. Kernels are <c>[query_dim, heads, key_dim]</c>,
    /// <c>[key_dim_in, kv_heads, key_dim]</c>, <c>[value_dim_in, kv_heads, value_dim]</c> and
    /// <c>[heads, value_dim, *output_shape]</c>; biases are the kernels without their input axes. The input sizes
    /// come from the first call's query, value and key (the key defaults to the value), -1 when unknown; a null
    /// <paramref name="outputShape"/> is the query's last dimension (multi_head_attention.py <c>build</c>).
    /// <paramref name="keyBias"/> false drops the key projection's bias alone (keras_hub's WhisperCachedMultiHeadAttention
    /// builds its key EinsumDense with <c>bias_axes=None</c>).
    /// </summary>
    public MultiHeadCore(LayerContext context, Func<Tensor, Tensor> own, MultiHeadSpec spec, long[]? outputShape, int[]? attentionAxes, bool keyBias = true)
    {
        if (spec.UseGate)
            throw new UnsupportedLayerException(context.ClassName, context.Name, "use_gate=True is not supported");
        if (spec.HasSlidingWindow)
            throw new UnsupportedLayerException(context.ClassName, context.Name, "sliding_window is not supported");
        var (heads, keyValueHeads, keyDim, valueDim, useBias) = (spec.Heads, spec.KeyValueHeads, spec.KeyDim, spec.ValueDim, spec.UseBias);
        context.ExpectWeightCount(spec.WeightRoles.Count - (useBias && !keyBias ? 1 : 0));
        var valueShape = AttentionArguments.ShapeOf(context, 1, "value");
        long FeatureSize(long[]? shape) => shape is [.., var last] ? last : -1;
        long querySize = FeatureSize(AttentionArguments.ShapeOf(context, 0, "query"));
        long keySize = FeatureSize(AttentionArguments.ShapeOf(context, 2, "key") ?? valueShape);
        outputShape ??= [querySize];
        EinsumProjection Projection(string name, long[] kernelShape, int biasRank, bool withBias = true) =>
            EinsumProjection.Create(context, name, [name, name + "_dense", "_" + name + "_dense"], useBias && withBias, kernelShape, kernelShape[^biasRank..], own);
        query = Projection("query", [querySize, heads, keyDim], 2);
        key = Projection("key", [keySize, keyValueHeads, keyDim], 2, keyBias);
        value = Projection("value", [FeatureSize(valueShape), keyValueHeads, valueDim], 2);
        output = EinsumProjection.Create(context, "attention_output", ["attention_output", "output_dense", "_output_dense"],
            useBias, [heads, valueDim, .. outputShape], outputShape, own);
        if (context.Bindings is null && keyValueHeads == heads)
            selfProjection = EinsumProjection.Stack([query, key, value], own);
        this.attentionAxes = attentionAxes;
        inverseSqrtKeyDim = 1.0 / Math.Sqrt(keyDim);
        keyValueRepeats = heads / keyValueHeads;
        configuredDropout = spec.Dropout > 0;
    }

    /// <summary>Runs the attention; returns the output, and the attention scores when the call asks for them.</summary>
    public Tensor[] Call(AttentionArguments call)
    {
        var mask = AttentionMask(call);
        if (selfProjection is not null && call.Query.dim() == 3 && mask is null && !call.ReturnScores
            && ReferenceEquals(call.Query, call.Value) && ReferenceEquals(call.Key, call.Value))
        {
            // Self-attention on sequences, the SDPA case below with one product for the three projections:
            // (batch, T, 3, heads, channels) seen as three (batch, heads, T, channels) tensors.
            var qkv = selfProjection.Apply(call.Query).permute(2, 0, 3, 1, 4).unbind(0);
            var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
            return [output.Apply(attended.transpose(1, 2))];
        }
        return Attend(query.Apply(call.Query), key.Apply(call.Key), value.Apply(call.Value), mask, call.ReturnScores);
    }

    /// <summary>The query projection, <c>(batch, ..., heads, key_dim)</c>.</summary>
    public Tensor ProjectQuery(Tensor x) => query.Apply(x);

    /// <summary>The key projection, <c>(batch, ..., key/value heads, key_dim)</c>.</summary>
    public Tensor ProjectKey(Tensor x) => key.Apply(x);

    /// <summary>The value projection, <c>(batch, ..., key/value heads, value_dim)</c>.</summary>
    public Tensor ProjectValue(Tensor x) => value.Apply(x);

    /// <summary>
    /// Keras's <c>_compute_attention</c> and output projection on projected query, key and value (one rank above the
    /// inputs: <c>(batch, &lt;attention and other axes&gt;, heads, channels)</c>) under the boolean
    /// <paramref name="mask"/> (null: everything allowed); returns the output, and the attention scores when asked for.
    /// </summary>
    public Tensor[] Attend(Tensor q, Tensor k, Tensor v, Tensor? mask, bool returnScores)
    {
        int rank = (int)v.dim();
        if (keyValueRepeats > 1)
        {
            // GroupedQueryAttention: each key/value head serves keyValueRepeats consecutive query heads (ops.repeat).
            k = k.repeat_interleave(keyValueRepeats, dim: -2);
            v = v.repeat_interleave(keyValueRepeats, dim: -2);
        }
        if (rank == 4 && mask is null && !returnScores)
        {
            // multi_head_attention.py _compute_attention: 4-D projections (sequences: the only attention axis is 1)
            // without returned scores go through ops.dot_product_attention, which the torch backend (backend/torch/nn.py
            // dot_product_attention) runs as torch's scaled_dot_product_attention on (batch, heads, T, channels); its
            // default scale 1/sqrt(channels) is Keras's 1/sqrt(key_dim). One libtorch call instead of seven. (Keras keeps
            // the einsum path for layers with dropout, the same values up to rounding at inference. Masked calls keep
            // the einsum path below, with Keras's -1e9 masking.)
            var heads = nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2));
            return [output.Apply(heads.transpose(1, 2))];
        }
        var axes = attentionAxes?.Select(a => a >= 0 ? a : rank - 1 + a).ToArray() ?? Enumerable.Range(1, rank - 3).ToArray();
        var (dotProduct, combine, _) = AttentionEquations.Attention(rank, axes);
        var scores = einsum(dotProduct, k, q * Of(inverseSqrtKeyDim));
        if (mask is not null)
            // The mask gains axes just before its query axes (the heads axis first), as in _masked_softmax.
            while (mask.dim() < scores.dim()) mask = mask.unsqueeze(-axes.Length * 2 - 1);
        var probabilities = AttentionMath.MaskedSoftmax(scores, mask, axes.Length);
        if (mask is not null && (returnScores || configuredDropout || rank != 4))
            // Off the fused path (multi_head_attention.py _compute_attention: scores returned, dropout configured, or
            // more than one attention axis) Keras normalizes with its Softmax layer, which zeroes every masked position
            // after the softmax (keras/src/layers/activations/softmax.py call, "in case the entire axis is masked"):
            // a fully masked query row gets all-zero scores, so its output is the output projection's bias alone.
            probabilities = probabilities * mask.to_type(probabilities.dtype);
        var result = output.Apply(einsum(combine, probabilities, v));
        return returnScores ? [result, probabilities] : [result];
    }

    /// <summary>
    /// Keras's <c>_compute_attention_mask</c>: query mask as <c>[B, T, 1]</c>, value and key masks as <c>[B, 1, S]</c>,
    /// the causal mask <c>[1, T, S]</c> (T and S are axis 1 of query and value) and the explicit
    /// <c>attention_mask</c>, all combined with a logical and.
    /// </summary>
    static Tensor? AttentionMask(AttentionArguments call)
    {
        var mask = call.QueryMask?.unsqueeze(-1);
        mask = AttentionMath.And(mask, call.ValueMask?.unsqueeze(-2));
        mask = AttentionMath.And(mask, call.KeyMask?.unsqueeze(-2));
        if (call.UseCausalMask)
            mask = AttentionMath.And(mask, AttentionMath.CausalMask(call.Query.Sizes()[1], call.Value.Sizes()[1], call.Query.device));
        return AttentionMath.And(call.AttentionMask, mask);
    }
}
