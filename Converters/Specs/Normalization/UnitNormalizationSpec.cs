namespace KerasPort.Specs.Normalization;

/// <summary>Keras <c>UnitNormalization</c> (keras/src/layers/normalization/unit_normalization.py): <c>x / max(||x||, 1e-6)</c> over <c>axis</c>.</summary>
/// <param name="Axes">The axes of the L2 norm, -1 by default.</param>
public sealed record UnitNormalizationSpec(int[] Axes) : LayerSpec, ILayerSpec<UnitNormalizationSpec>
{
    /// <summary>The floor of the squared norm (keras/src/ops/nn.py <c>normalize</c>: the norm's epsilon squared).</summary>
    public const double MinSquaredNorm = 1e-12;

    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["UnitNormalization"];

    /// <inheritdoc />
    public static UnitNormalizationSpec Read(LayerReader layer) => new(layer.Ints("axis") ?? [-1]);
}
