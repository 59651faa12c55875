namespace KerasPort.Specs.KerasHub;

/// <summary>
/// KerasHub <c>LlamaRotaryEmbedding</c> (keras_hub/src/models/llama/llama_rotary_embedding.py, v0.31.1): a
/// <c>RotaryEmbedding</c> whose inverse frequencies are <c>1 / max_wavelength^(2i / d)</c>, smoothed for Llama 3.1+
/// when the four frequency arguments are set. Its <c>_get_inverse_freq</c> ignores the position scaling factor, as
/// keras-hub's does (the base class applies it only in its own, overridden, <c>_get_inverse_freq</c>).
/// </summary>
/// <param name="MaxWavelength">The longest wavelength (10000).</param>
/// <param name="PositionScalingFactor">Kept for the config; keras-hub's Llama RoPE does not use it.</param>
/// <param name="FrequencyAdjustmentFactor">Divides the low frequencies (Llama 3.1), or null.</param>
/// <param name="LowFreqFactor">Llama 3.1's low frequency factor, or null.</param>
/// <param name="HighFreqFactor">Llama 3.1's high frequency factor, or null.</param>
/// <param name="PretrainingSequenceLength">The pre-training context length, or null.</param>
/// <param name="SequenceAxis">The input's sequence axis (1).</param>
/// <param name="FeatureAxis">The input's feature axis (-1).</param>
public sealed record LlamaRotaryEmbeddingSpec(
    double MaxWavelength = 10000,
    double PositionScalingFactor = 1,
    double? FrequencyAdjustmentFactor = null,
    double? LowFreqFactor = null,
    double? HighFreqFactor = null,
    double? PretrainingSequenceLength = null,
    int SequenceAxis = 1,
    int FeatureAxis = -1) : LayerSpec, ILayerSpec<LlamaRotaryEmbeddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>LlamaRotaryEmbedding"];

    /// <inheritdoc />
    public static LlamaRotaryEmbeddingSpec Read(LayerReader layer) => FromArguments(layer, "", "position_scaling_factor",
        "frequency_adjustment_factor", "low_freq_factor", "high_freq_factor", "pretraining_sequence_length") with
    {
        SequenceAxis = layer.Int("sequence_axis", 1), FeatureAxis = layer.Int("feature_axis", -1),
    };

    /// <summary>
    /// The RoPE a Llama layer builds from its own <c>rope_*</c> arguments (LlamaAttention, LlamaTransformerDecoder,
    /// LlamaBackbone pass <c>rope_max_wavelength</c>, <c>rope_position_scaling_factor</c>, ... through).
    /// </summary>
    public static LlamaRotaryEmbeddingSpec ReadRopeArguments(LayerReader layer) => FromArguments(layer, "rope_", "rope_position_scaling_factor",
        "rope_frequency_adjustment_factor", "rope_low_freq_factor", "rope_high_freq_factor", "rope_pretraining_sequence_length");

    static LlamaRotaryEmbeddingSpec FromArguments(LayerReader layer, string prefix, string scaling, string adjustment, string low, string high, string length)
    {
        double? Optional(string key) => layer.Config[key] is null ? null : layer.Double(key, 0);
        var spec = new LlamaRotaryEmbeddingSpec(layer.Double(prefix + "max_wavelength", 10000), layer.Double(scaling, 1),
            Optional(adjustment), Optional(low), Optional(high), Optional(length));
        // llama_rotary_embedding.py __init__: the four Llama 3.1 arguments come together or not at all.
        var grouped = new[] { spec.LowFreqFactor, spec.HighFreqFactor, spec.FrequencyAdjustmentFactor, spec.PretrainingSequenceLength };
        if (grouped.Any(v => v is null) && !grouped.All(v => v is null))
            throw layer.ConfigError(low, $"either all of {low}, {high}, {adjustment} and {length} are set, or none");
        if (spec.MaxWavelength <= 0) throw layer.ConfigError(prefix + "max_wavelength", $"must be positive, not {spec.MaxWavelength}");
        return spec;
    }
}
