namespace KerasPort.Specs.KerasHub;

/// <summary>
/// The cached grouped-query self-attention of KerasHub's Llama-style decoders, one computation with options
/// (keras_hub/src/models/llama/llama_attention.py <c>LlamaAttention</c>, mistral/mistral_attention.py
/// <c>CachedMistralAttention</c>, qwen/qwen_attention.py <c>QwenAttention</c>, v0.31.1): EinsumDense query, key and
/// value projections (<c>bqm,muh-&gt;bquh</c>), RoPE on queries and keys, key/value heads repeated for their query
/// groups, scores scaled by <c>1 / sqrt(head_dim)</c>, a float32 masked softmax and an output projection.
/// </summary>
/// <param name="QueryHeads"><c>num_query_heads</c>.</param>
/// <param name="KeyValueHeads"><c>num_key_value_heads</c>; divides <paramref name="QueryHeads"/>.</param>
/// <param name="HeadDim">Mistral's <c>head_dim</c>, or null for <c>hidden_dim / num_query_heads</c>.</param>
/// <param name="Rope">The RoPE: a <see cref="LlamaRotaryEmbeddingSpec"/> (Llama) or a <see cref="RotaryEmbeddingSpec"/>.</param>
/// <param name="UseBias">Query, key and value biases (Qwen; <c>bias_axes</c> <c>uh</c>/<c>vh</c>).</param>
/// <param name="SlidingWindow">Keys at least this many positions before the query are masked (Mistral, Qwen), or null.</param>
/// <param name="Dropout">The attention dropout rate (inactive at inference).</param>
public sealed record CausalAttentionSpec(int QueryHeads, int KeyValueHeads, int? HeadDim, LayerSpec Rope, bool UseBias, int? SlidingWindow,
    double Dropout) : LayerSpec, ILayerSpec<CausalAttentionSpec>
{
    /// <summary>KerasHub's <c>LlamaAttention</c>.</summary>
    public const string Llama = "LlamaAttention";

    /// <summary>KerasHub's <c>CachedMistralAttention</c>.</summary>
    public const string Mistral = "CachedMistralAttention";

    /// <summary>KerasHub's <c>QwenAttention</c>.</summary>
    public const string Qwen = "QwenAttention";

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = [.. new[] { Llama, Mistral, Qwen }.Select(c => "keras_hub>" + c)];

    /// <inheritdoc />
    public static CausalAttentionSpec Read(LayerReader layer) => ReadFor(layer, layer.ClassName);

    /// <summary>
    /// The attention <paramref name="attentionClass"/> (<see cref="Llama"/>, <see cref="Mistral"/> or <see cref="Qwen"/>)
    /// with the arguments of <paramref name="layer"/>: the attention layer itself, or its decoder, which takes and passes
    /// on the same arguments under the same names.
    /// </summary>
    public static CausalAttentionSpec ReadFor(LayerReader layer, string attentionClass)
    {
        int queryHeads = layer.IntAtLeast("num_query_heads", 0, 1);
        int keyValueHeads = layer.IntAtLeast("num_key_value_heads", 0, 1);
        if (queryHeads % keyValueHeads != 0)
            throw layer.ConfigError("num_key_value_heads", $"{keyValueHeads} key/value heads do not divide {queryHeads} query heads");
        double dropout = layer.DoubleAtLeast("dropout", 0, 0);
        RotaryEmbeddingSpec Rope() => new(layer.Double("rope_max_wavelength", 10000), layer.Double("rope_scaling_factor", 1));
        return attentionClass switch
        {
            Llama => new(queryHeads, keyValueHeads, null, LlamaRotaryEmbeddingSpec.ReadRopeArguments(layer), false, null, dropout),
            Mistral => new(queryHeads, keyValueHeads, OptionalPositive(layer, "head_dim", null), Rope(), false,
                OptionalPositive(layer, "sliding_window", 512), dropout),
            Qwen => new(queryHeads, keyValueHeads, null, Rope(), true,
                layer.Bool("use_sliding_window_attention", false) ? layer.IntAtLeast("sliding_window_size", 4096, 1) : null, dropout),
            _ => throw new ArgumentException($"'{attentionClass}' is not a Llama-style KerasHub attention class", nameof(attentionClass)),
        };
    }

    /// <summary>An integer argument that may be null (JSON null or absent: <paramref name="fallback"/> when absent).</summary>
    static int? OptionalPositive(LayerReader layer, string key, int? fallback) =>
        !layer.Config.ContainsKey(key) ? fallback : layer.Config[key] is null ? null : layer.IntAtLeast(key, 1, 1);
}
