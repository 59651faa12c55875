namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// MultiHeadAttention as ONNX Einsum with exactly the equations Keras builds (multi_head_attention.py
/// <c>_build_proj_equation</c>, <c>_build_attention_equation</c>), so any rank and <c>attention_axes</c> export (reference
/// semantics: Runtime/Layers/Attention/MultiHeadAttention.cs, MultiHeadCore.cs); GroupedQueryAttention shares the computation.
/// </summary>
internal static class MultiHeadAttentionLowering
{
    /// <summary>MultiHeadAttention: the projected multi-head attention with the layer's output shape and attention axes.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, MultiHeadAttentionSpec s) =>
        MultiHead(c, FromSignature(c, queryMaskFromTensorOnly: true), s, s.OutputShape?.Length ?? 1, s.AttentionAxes);

    static char Letter(int index) => (char)('a' + index);

    /// <summary>The projection equation: <paramref name="free"/> axes pass, <paramref name="bound"/> are contracted, <paramref name="output"/> are new.</summary>
    static string Projection(int free, int bound, int output)
    {
        string input = "", kernel = "", result = "";
        for (int i = 0; i < free; i++) { input += Letter(i); result += Letter(i); }
        for (int i = 0; i < bound; i++) { input += Letter(free + i); kernel += Letter(free + i); }
        for (int i = 0; i < output; i++) { kernel += Letter(free + bound + i); result += Letter(free + bound + i); }
        return $"{input},{kernel}->{result}";
    }

    /// <summary>The dot-product and combine equations for projected tensors of <paramref name="rank"/> attending over <paramref name="axes"/>.</summary>
    static (string DotProduct, string Combine) AttentionEquations(int rank, IReadOnlyList<int> axes)
    {
        var target = new string(Enumerable.Range(0, rank).Select(Letter).ToArray());
        var batchAxes = Enumerable.Range(0, rank).Where(i => !axes.Contains(i) && i != rank - 1).ToList();
        int offset = rank;
        var source = new char[rank];
        for (int i = 0; i < rank; i++) source[i] = batchAxes.Contains(i) || i == rank - 1 ? target[i] : Letter(offset++);
        var product = new string(batchAxes.Select(i => target[i]).Concat(axes.Select(i => target[i])).Concat(axes.Select(i => source[i])).ToArray());
        var sourceNotation = new string(source);
        return ($"{sourceNotation},{target}->{product}", $"{product},{sourceNotation}->{target}");
    }

    /// <summary>
    /// A projection sub-layer's kernel and bias, found by name (<c>mha/query/kernel</c> in legacy files,
    /// <c>query_dense/vars/0</c> or <c>_query_dense/vars/0</c> in Keras 3 files, whose alphabetical order is not Keras's).
    /// </summary>
    static (OnnxValue Kernel, OnnxValue? Bias) Projection(OnnxLayerCall c, string sublayer, string[] names, bool useBias)
    {
        int? kernel = null, bias = null;
        for (int i = 0; i < c.Weights.Count; i++)
        {
            var name = c.Weights[i].Name;
            int colon = name.LastIndexOf(':');
            if (colon > name.LastIndexOf('/')) name = name[..colon];
            var parts = name.Split('/');
            (string Owner, string Role)? parsed = parts.Length >= 3 && parts[^2] == "vars" ? (parts[^3], parts[^1])
                : parts.Length >= 2 && parts[^1] is "kernel" or "bias" ? (parts[^2], parts[^1]) : null;
            if (parsed is not var (owner, role) || !names.Contains(owner)) continue;
            if (role is "kernel" or "0") kernel = i;
            else if (role is "bias" or "1") bias = i;
        }
        if (kernel is null) throw new WeightMismatchException(c.Name, sublayer, $"{c.ClassName} has no kernel for its '{sublayer}' projection among its weights");
        if (useBias != bias.HasValue) throw new WeightMismatchException(c.Name, sublayer, $"{c.ClassName}: use_bias={useBias} does not fit the weights of its '{sublayer}' projection");
        return (c.Weight(kernel.Value, sublayer + "_kernel", c.Weights[kernel.Value].Value.Shape),
            bias is { } b ? c.Weight(b, sublayer + "_bias", c.Weights[b].Value.Shape) : null);
    }

    static OnnxValue Project(OnnxGraph g, string equation, OnnxValue x, (OnnxValue Kernel, OnnxValue? Bias) projection)
    {
        var y = g.Einsum(equation, x, projection.Kernel);
        return projection.Bias is { } bias ? g.Add(y, bias) : y;
    }

    /// <summary>The call's query, value and key (positional or keyword; the key defaults to the value) and their masks.</summary>
    internal sealed record Bound(OnnxValue Query, OnnxValue Value, OnnxValue Key, OnnxValue? QueryMask, OnnxValue? ValueMask, OnnxValue? KeyMask,
        OnnxValue? AttentionMask, bool ReturnScores, bool UseCausalMask);

    /// <summary>
    /// The runtime's <c>AttentionArguments.FromSignature</c>: with <paramref name="queryMaskFromTensorOnly"/> the query
    /// mask is the query tensor's own, even when the call writes <c>query_mask</c> (MultiHeadAttention.call in Keras
    /// 3.15.1 overwrites its argument with <c>backend.get_keras_mask(query)</c>, multi_head_attention.py line 628).
    /// </summary>
    internal static Bound FromSignature(OnnxLayerCall c, bool queryMaskFromTensorOnly)
    {
        OnnxValue? Argument(int position, string name) => position < c.Args.Count ? c.Args[position] as OnnxValue : c.Kwargs.GetValueOrDefault(name) as OnnxValue;
        OnnxValue? Mask(string name, OnnxValue input) => c.Kwargs.TryGetValue(name, out var written) ? written as OnnxValue : c.MaskOf(input);
        var query = Argument(0, "query") ?? throw new FormatException($"layer '{c.Name}' is called without a query");
        var value = Argument(1, "value") ?? throw new FormatException($"layer '{c.Name}' is called without a value");
        var key = Argument(2, "key");
        return new Bound(query, value, key ?? value, queryMaskFromTensorOnly ? c.MaskOf(query) : Mask("query_mask", query),
            Mask("value_mask", value), Mask("key_mask", key ?? value),
            c.Kwargs.GetValueOrDefault("attention_mask") as OnnxValue, AttentionMasks.Flag(c, "return_attention_scores"), AttentionMasks.Flag(c, "use_causal_mask"));
    }

    /// <summary>
    /// Projected multi-head dot-product attention (multi_head_attention.py <c>call</c>, <c>_compute_attention_mask</c>,
    /// <c>_compute_attention</c>; grouped_query_attention.py repeats each key/value head for consecutive query heads).
    /// </summary>
    internal static OnnxLowered MultiHead(OnnxLayerCall c, Bound call, MultiHeadSpec spec, int outputDims, int[]? attentionAxes)
    {
        if (spec.UseGate) throw c.Unsupported("use_gate=True");
        if (spec.HasSlidingWindow) throw c.Unsupported("sliding_window");
        var (heads, keyValueHeads, keyDim, useBias) = (spec.Heads, spec.KeyValueHeads, spec.KeyDim, spec.UseBias);
        c.ExpectWeightCount(spec.WeightRoles.Count);
        var g = c.Graph;
        string[] Names(string name) => [name, name + "_dense", "_" + name + "_dense"];
        var q = Project(g, Projection(call.Query.Rank - 1, 1, 2), call.Query, Projection(c, "query", Names("query"), useBias));
        var k = Project(g, Projection(call.Key.Rank - 1, 1, 2), call.Key, Projection(c, "key", Names("key"), useBias));
        var v = Project(g, Projection(call.Value.Rank - 1, 1, 2), call.Value, Projection(c, "value", Names("value"), useBias));
        int rank = q.Rank;
        if (heads != keyValueHeads)
        {
            long repeats = heads / keyValueHeads;
            OnnxValue Repeat(OnnxValue x)
            {
                var expanded = g.Unsqueeze(x, -2);
                long[] target = [.. expanded.Shape[..^2], repeats, expanded.Shape[^1]];
                var tiled = g.Expand(expanded, g.Longs([.. Enumerable.Repeat(1L, expanded.Rank - 2), repeats, 1]), target);
                return g.Reshape(tiled, [.. Enumerable.Repeat(0L, x.Rank - 2), heads, x.Dim(-1)]);
            }
            k = Repeat(k);
            v = Repeat(v);
        }
        var axes = attentionAxes?.Select(a => a >= 0 ? a : rank - 1 + a).ToArray() ?? Enumerable.Range(1, rank - 3).ToArray();
        var (dotProduct, combine) = AttentionEquations(rank, axes);
        var scores = g.Einsum(dotProduct, k, g.Scale(q, 1.0 / Math.Sqrt(keyDim)));
        var mask = AttentionMasks.And(g, call.QueryMask is { } qm ? g.Unsqueeze(qm, -1) : null, call.ValueMask is { } vm ? g.Unsqueeze(vm, -2) : null);
        mask = AttentionMasks.And(g, mask, call.KeyMask is { } km ? g.Unsqueeze(km, -2) : null);
        if (call.UseCausalMask) mask = AttentionMasks.And(g, mask, AttentionMasks.Causal(c, call.Query.Dim(1), call.Value.Dim(1)));
        mask = AttentionMasks.And(g, call.AttentionMask, mask);
        if (mask is not null)
            while (mask.Rank < scores.Rank) mask = g.Unsqueeze(mask, mask.Rank - axes.Length * 2);
        var probabilities = AttentionMasks.MaskedSoftmax(g, scores, mask, axes.Length);
        if (mask is not null && (call.ReturnScores || spec.Dropout > 0 || rank != 4))
            // Off Keras's fused path (scores returned, dropout configured, or several attention axes) its Softmax layer
            // zeroes the masked positions after the softmax (keras/src/layers/activations/softmax.py call): a fully
            // masked query row gets all-zero scores. The runtime's MultiHeadCore.Call does the same.
            probabilities = g.Mul(probabilities, g.Cast(mask, OnnxType.Float));
        var attended = g.Einsum(combine, probabilities, v);
        var output = Project(g, Projection(call.Query.Rank - 1, 2, outputDims), attended,
            Projection(c, "attention_output", ["attention_output", "output_dense", "_output_dense"], useBias));
        // The output's Keras mask is the query tensor's own, never an explicit query_mask (the runtime's ComputeMask).
        return new OnnxLowered(call.ReturnScores ? [output, probabilities] : [output], c.MaskOf(call.Query));
    }
}
