namespace KerasPort.Specs.Attention;

/// <summary>
/// What MultiHeadAttention and GroupedQueryAttention share (keras/src/layers/attention/multi_head_attention.py,
/// grouped_query_attention.py): four EinsumDense projections (query, key, value, attention output), each a kernel and,
/// with <c>use_bias</c>, a bias, and scaled dot-product attention between them.
/// </summary>
/// <param name="Heads">The query heads, positive.</param>
/// <param name="KeyValueHeads">The key and value heads, dividing <paramref name="Heads"/>.</param>
/// <param name="KeyDim">The size of a query and key head; scores are scaled by <c>1/sqrt(KeyDim)</c>.</param>
/// <param name="ValueDim">The size of a value head.</param>
/// <param name="UseBias">Whether the projections add a bias.</param>
/// <param name="Dropout">The attention dropout rate (training only; a layer configured with it leaves Keras's fused path).</param>
/// <param name="UseGate">Keras 3's gated attention (not computed by KerasPort).</param>
/// <param name="HasSlidingWindow">Whether the config sets a sliding window (not computed by KerasPort).</param>
public abstract record MultiHeadSpec(int Heads, int KeyValueHeads, int KeyDim, int ValueDim, bool UseBias, double Dropout, bool UseGate, bool HasSlidingWindow)
    : LayerSpec
{
    /// <summary>
    /// The projections in Keras's order, each with the name of its sub-layer in legacy files (<c>mha/query/kernel</c>)
    /// and of its sub-object in Keras 3 files: multi_head_attention.py tracks <c>_query_dense</c> etc., saved as
    /// <c>query_dense</c> by Keras 3.15; grouped_query_attention.py keeps the underscore (<c>_query_dense</c>).
    /// </summary>
    public abstract IReadOnlyList<(string Legacy, string Keras3)> Projections { get; }

    /// <summary>The projections named as multi_head_attention.py saves them, with <paramref name="prefix"/> before each Keras 3 name.</summary>
    protected static IReadOnlyList<(string Legacy, string Keras3)> ProjectionsWith(string prefix) =>
        [("query", prefix + "query_dense"), ("key", prefix + "key_dense"), ("value", prefix + "value_dense"), ("attention_output", prefix + "output_dense")];

    /// <summary>A positive count under <paramref name="key"/>.</summary>
    protected static int Positive(LayerReader layer, string key)
    {
        int value = layer.Int(key, -1);
        return value > 0 ? value : throw layer.ConfigError(key, value == -1 && !layer.Has(key) ? "missing" : $"must be positive, got {value}");
    }

    /// <summary>The options every multi-head layer reads the same way: use_bias, dropout, use_gate, sliding_window.</summary>
    protected static (bool UseBias, double Dropout, bool UseGate, bool HasSlidingWindow) ReadOptions(LayerReader layer) =>
        (layer.Bool("use_bias", true), layer.Double("dropout", 0), layer.Bool("use_gate", false), layer.Has("sliding_window"));

    /// <summary>Checks that the query heads fall into groups of key/value heads (grouped_query_attention.py <c>__init__</c>).</summary>
    protected static int Dividing(LayerReader layer, int heads, int keyValueHeads) => heads % keyValueHeads == 0 ? keyValueHeads
        : throw layer.ConfigError("num_key_value_heads", $"{heads} query heads do not divide into {keyValueHeads} key/value heads");

    /// <summary>The weights of one projection, as its EinsumDense names them: the kernel, then the bias with <see cref="MultiHeadSpec.UseBias"/>.</summary>
    public IReadOnlyList<string> ProjectionRoles => UseBias ? ["kernel", "bias"] : ["kernel"];

    /// <summary>Each projection's <see cref="ProjectionRoles"/> under its legacy name: <c>query/kernel</c>, <c>query/bias</c>, ...</summary>
    public override IReadOnlyList<WeightRole> WeightRoles => [.. Projections.SelectMany(p => ProjectionRoles.Select(role => new WeightRole($"{p.Legacy}/{role}")))];
}
