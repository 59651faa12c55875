namespace KerasPort.Specs.Normalization;

/// <summary>Keras <c>RMSNormalization</c> (keras/src/layers/normalization/rms_normalization.py): <c>x / sqrt(mean(x^2) + epsilon) * scale</c>.</summary>
/// <param name="Axes">The normalized axes, -1 by default.</param>
/// <param name="Epsilon">Added to the mean square, 1e-6 by default.</param>
public sealed record RMSNormalizationSpec(int[] Axes, double Epsilon) : LayerSpec, ILayerSpec<RMSNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["RMSNormalization"];

    /// <inheritdoc />
    public static RMSNormalizationSpec Read(LayerReader layer) => new(layer.Ints("axis") ?? [-1], layer.DoubleAtLeast("epsilon", 1e-6, 0));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles { get; } = [new("scale")];
}
