namespace KerasPort.Specs.KerasHub;

/// <summary>
/// KerasHub <c>RotaryEmbedding</c> (keras_hub/src/layers/modeling/rotary_embedding.py, v0.31.1): rotates pairs of
/// features (first half against second half of the feature axis) by angles <c>position * inverse_frequency</c>, the
/// inverse frequencies <c>max_wavelength^(-2i / d)</c> scaled by <c>rope_type</c>. KerasHub's attention layers build
/// one with their own arguments (e.g. <c>RotaryEmbedding(max_wavelength=..., scaling_factor=...)</c>): construct the
/// record with those and leave the rest at the defaults, as the Python constructor does.
/// </summary>
/// <param name="MaxWavelength">The longest wavelength, <c>max_wavelength</c> (10000).</param>
/// <param name="ScalingFactor">Divides the inverse frequencies (<c>linear</c>), or scales them per <c>rope_type</c> (1).</param>
/// <param name="RopeType"><c>linear</c>, <c>dynamic</c> or <c>yarn</c>.</param>
/// <param name="BetaFast">YaRN's <c>beta_fast</c> (32).</param>
/// <param name="BetaSlow">YaRN's <c>beta_slow</c> (1).</param>
/// <param name="OriginalMaxPositionEmbeddings">YaRN's pre-training context length (4096).</param>
/// <param name="Truncate">YaRN's <c>truncate</c>: integral correction range, positions capped at the original context.</param>
/// <param name="SequenceAxis">The input's sequence axis (1).</param>
/// <param name="FeatureAxis">The input's feature axis (-1); its size must be even.</param>
/// <param name="DenominatorDim">The <c>d</c> of the exponent when not the feature size (<c>denominator_dim</c>), or null.</param>
public sealed record RotaryEmbeddingSpec(
    double MaxWavelength = 10000,
    double ScalingFactor = 1,
    string RopeType = RotaryEmbeddingSpec.Linear,
    double BetaFast = 32,
    double BetaSlow = 1,
    double OriginalMaxPositionEmbeddings = 4096,
    bool Truncate = false,
    int SequenceAxis = 1,
    int FeatureAxis = -1,
    int? DenominatorDim = null) : LayerSpec, ILayerSpec<RotaryEmbeddingSpec>
{
    /// <summary>Inverse frequencies divided by the scaling factor (position interpolation).</summary>
    public const string Linear = "linear";

    /// <summary>Inverse frequencies divided by <c>scaling_factor^(d / (d - 2))</c>.</summary>
    public const string Dynamic = "dynamic";

    /// <summary>YaRN: interpolated and extrapolated frequencies blended by a ramp, cos and sin scaled by <c>0.1 ln(s) + 1</c>.</summary>
    public const string Yarn = "yarn";

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>RotaryEmbedding"];

    /// <inheritdoc />
    public static RotaryEmbeddingSpec Read(LayerReader layer)
    {
        var spec = new RotaryEmbeddingSpec(
            layer.Double("max_wavelength", 10000), layer.Double("scaling_factor", 1),
            layer.OneOf("rope_type", Linear, Linear, Dynamic, Yarn),
            layer.Double("beta_fast", 32), layer.Double("beta_slow", 1),
            layer.Double("original_max_position_embeddings", 4096), layer.Bool("truncate", false),
            layer.Int("sequence_axis", 1), layer.Int("feature_axis", -1),
            layer.Has("denominator_dim") ? layer.IntAtLeast("denominator_dim", 1, 1) : null);
        if (spec.MaxWavelength <= 0) throw layer.ConfigError("max_wavelength", $"must be positive, not {spec.MaxWavelength}");
        if (spec.ScalingFactor <= 0) throw layer.ConfigError("scaling_factor", $"must be positive, not {spec.ScalingFactor}");
        if (spec.SequenceAxis == spec.FeatureAxis) throw layer.ConfigError("feature_axis", "must differ from sequence_axis");
        return spec;
    }
}
