namespace KerasPort.Specs.Normalization;

/// <summary>
/// Keras <c>LayerNormalization</c> (keras/src/layers/normalization/layer_normalization.py): <c>(x - mean) /
/// sqrt(var + epsilon) * gamma + beta</c> over <c>axis</c>, the biased variance; with <c>rms_scaling</c>,
/// <c>x / sqrt(mean(x^2) + epsilon) * gamma</c> and no beta.
/// </summary>
/// <param name="Axes">The normalized axes, -1 by default.</param>
/// <param name="Epsilon">Added to the variance, 1e-3 by default.</param>
/// <param name="Center">The config's <c>center</c>.</param>
/// <param name="Scale">The config's <c>scale</c>.</param>
/// <param name="RmsScaling">Scale by the root mean square instead of centering and scaling by the deviation.</param>
public sealed record LayerNormalizationSpec(int[] Axes, double Epsilon, bool Center, bool Scale, bool RmsScaling) : LayerSpec, ILayerSpec<LayerNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["LayerNormalization"];

    /// <inheritdoc />
    public static LayerNormalizationSpec Read(LayerReader layer) => new(layer.Ints("axis") ?? [-1], layer.DoubleAtLeast("epsilon", 1e-3, 0),
        layer.Bool("center", true), layer.Bool("scale", true), layer.Bool("rms_scaling", false));

    /// <summary>Whether the layer has <c>gamma</c>: rms_scaling always scales.</summary>
    public bool HasGamma => Scale || RmsScaling;

    /// <summary>Whether the layer has <c>beta</c>: rms_scaling never centers.</summary>
    public bool HasBeta => Center && !RmsScaling;

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [.. HasGamma ? [new WeightRole("gamma")] : Array.Empty<WeightRole>(), .. HasBeta ? [new WeightRole("beta")] : Array.Empty<WeightRole>()];
}
