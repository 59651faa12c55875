namespace KerasPort.Specs.Attention;

/// <summary>
/// Keras <c>MultiHeadAttention</c> (keras/src/layers/attention/multi_head_attention.py): <c>num_heads</c> heads of
/// <c>key_dim</c> over <c>attention_axes</c>, projected back to <c>output_shape</c> or the query's last dimension.
/// </summary>
/// <param name="Heads">The config's <c>num_heads</c>.</param>
/// <param name="KeyDim">The config's <c>key_dim</c>.</param>
/// <param name="ValueDim">The config's <c>value_dim</c>, <paramref name="KeyDim"/> when absent.</param>
/// <param name="OutputShape">The output's trailing shape, or null (empty or absent) for the query's last dimension.</param>
/// <param name="AttentionAxes">The axes attended over, or null for every axis between batch and features.</param>
/// <param name="UseBias">Whether the projections add a bias.</param>
/// <param name="Dropout">The attention dropout rate.</param>
/// <param name="UseGate">Keras 3's gated attention.</param>
/// <param name="HasSlidingWindow">Whether the config sets a sliding window.</param>
public sealed record MultiHeadAttentionSpec(int Heads, int KeyDim, int ValueDim, long[]? OutputShape, int[]? AttentionAxes, bool UseBias, double Dropout,
    bool UseGate, bool HasSlidingWindow)
    : MultiHeadSpec(Heads, Heads, KeyDim, ValueDim, UseBias, Dropout, UseGate, HasSlidingWindow), ILayerSpec<MultiHeadAttentionSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["MultiHeadAttention"];

    /// <inheritdoc />
    public static MultiHeadAttentionSpec Read(LayerReader layer)
    {
        int keyDim = Positive(layer, "key_dim");
        var (useBias, dropout, useGate, slidingWindow) = ReadOptions(layer);
        return new(Positive(layer, "num_heads"), keyDim, layer.Int("value_dim", 0) is > 0 and var valueDim ? valueDim : keyDim,
            layer.Ints("output_shape") is { Length: > 0 } shape ? [.. shape.Select(d => (long)d)] : null, layer.Ints("attention_axes"),
            useBias, dropout, useGate, slidingWindow);
    }

    /// <inheritdoc />
    public override IReadOnlyList<(string Legacy, string Keras3)> Projections { get; } = ProjectionsWith("");
}
