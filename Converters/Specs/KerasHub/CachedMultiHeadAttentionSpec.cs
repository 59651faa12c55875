namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>CachedMultiHeadAttention</c> (keras_hub/src/layers/modeling/cached_multi_head_attention.py) and its
/// Whisper variant <c>WhisperCachedMultiHeadAttention</c> (keras_hub/src/models/whisper/whisper_cached_multi_head_attention.py
/// <c>build</c>: the key projection has no bias): Keras's
/// <c>MultiHeadAttention</c> on sequences whose call may also read and update a key/value cache. Only the arguments
/// keras_hub's layers give it are supported (no custom <c>output_shape</c> or <c>attention_axes</c>).
/// </summary>
/// <param name="NumHeads">Attention heads.</param>
/// <param name="KeyDim">Size of each query and key head.</param>
/// <param name="ValueDim">Size of each value head (the config's <c>value_dim</c>, <c>key_dim</c> when absent).</param>
/// <param name="Dropout">Attention dropout rate (a rate above 0 also decides Keras's masked-softmax path).</param>
/// <param name="UseBias">Whether the projections have biases.</param>
/// <param name="KeyBias">Whether the key projection has one (false for Whisper's).</param>
public sealed record CachedMultiHeadAttentionSpec(int NumHeads, int KeyDim, int ValueDim, double Dropout, bool UseBias, bool KeyBias)
    : LayerSpec, ILayerSpec<CachedMultiHeadAttentionSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>CachedMultiHeadAttention", WhisperClass];

    /// <summary>The Whisper variant's registered name.</summary>
    public const string WhisperClass = "keras_hub>WhisperCachedMultiHeadAttention";

    /// <inheritdoc />
    public static CachedMultiHeadAttentionSpec Read(LayerReader layer)
    {
        if (layer.Ints("output_shape") is { Length: > 0 }) throw layer.ConfigError("output_shape", "only the query's own size is supported");
        if (layer.Ints("attention_axes") is { } axes && !(axes is [1] or [-3])) throw layer.ConfigError("attention_axes", "only attention over the sequence axis is supported");
        int keyDim = layer.IntAtLeast("key_dim", 0, 1);
        bool useBias = layer.Bool("use_bias", true);
        return new(layer.IntAtLeast("num_heads", 0, 1), keyDim, layer.Int("value_dim", 0) is > 0 and var v ? v : keyDim,
            layer.DoubleAtLeast("dropout", 0, 0), useBias, useBias && "keras_hub>" + layer.ClassName != WhisperClass);
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [.. Roles("query", UseBias), .. Roles("key", KeyBias), .. Roles("value", UseBias), .. Roles("attention_output", UseBias)];

    static IEnumerable<WeightRole> Roles(string projection, bool bias) =>
        bias ? [new(projection + "/kernel"), new(projection + "/bias")] : [new(projection + "/kernel")];
}
