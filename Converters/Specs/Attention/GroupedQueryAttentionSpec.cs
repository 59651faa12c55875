namespace KerasPort.Specs.Attention;

/// <summary>
/// Keras <c>GroupedQueryAttention</c>, exported as <c>GroupQueryAttention</c>
/// (keras/src/layers/attention/grouped_query_attention.py): attention on <c>(batch, length, features)</c> with
/// <c>num_query_heads</c> query heads sharing <c>num_key_value_heads</c> key/value heads of size <c>head_dim</c>; the
/// output has the query's feature size.
/// </summary>
/// <param name="HeadDim">The size of every head.</param>
/// <param name="QueryHeads">The config's <c>num_query_heads</c>.</param>
/// <param name="KeyValueHeads">The config's <c>num_key_value_heads</c>, dividing the query heads.</param>
/// <param name="UseBias">Whether the projections add a bias.</param>
/// <param name="Dropout">The attention dropout rate.</param>
/// <param name="UseGate">Keras 3's gated attention.</param>
/// <param name="HasSlidingWindow">Whether the config sets a sliding window.</param>
public sealed record GroupedQueryAttentionSpec(int HeadDim, int QueryHeads, int KeyValueHeads, bool UseBias, double Dropout, bool UseGate, bool HasSlidingWindow)
    : MultiHeadSpec(QueryHeads, KeyValueHeads, HeadDim, HeadDim, UseBias, Dropout, UseGate, HasSlidingWindow), ILayerSpec<GroupedQueryAttentionSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GroupedQueryAttention", "GroupQueryAttention"];

    /// <inheritdoc />
    public static GroupedQueryAttentionSpec Read(LayerReader layer)
    {
        int queryHeads = Positive(layer, "num_query_heads");
        var (useBias, dropout, useGate, slidingWindow) = ReadOptions(layer);
        return new(Positive(layer, "head_dim"), queryHeads, Dividing(layer, queryHeads, Positive(layer, "num_key_value_heads")),
            useBias, dropout, useGate, slidingWindow);
    }

    /// <inheritdoc />
    public override IReadOnlyList<(string Legacy, string Keras3)> Projections { get; } = ProjectionsWith("_");
}
