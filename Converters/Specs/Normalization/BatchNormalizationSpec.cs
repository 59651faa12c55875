namespace KerasPort.Specs.Normalization;

/// <summary>
/// Keras <c>BatchNormalization</c> (keras/src/layers/normalization/batch_normalization.py): at inference
/// <c>(x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta</c> along <c>axis</c>.
/// </summary>
/// <param name="Axes">The normalized (feature) axes, -1 by default.</param>
/// <param name="Epsilon">Added to the variance; Keras's default is 1e-3 (not torch's 1e-5).</param>
/// <param name="Momentum">The moving statistics' momentum in training.</param>
/// <param name="Center">Whether the layer has <c>beta</c>.</param>
/// <param name="Scale">Whether the layer has <c>gamma</c>.</param>
/// <param name="Renorm">Batch renormalization (training only; not supported in training).</param>
/// <param name="Synchronized">Synchronized across devices (training only; not supported in training).</param>
public sealed record BatchNormalizationSpec(int[] Axes, double Epsilon, double Momentum, bool Center, bool Scale, bool Renorm, bool Synchronized)
    : LayerSpec, ILayerSpec<BatchNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["BatchNormalization"];

    /// <inheritdoc />
    public static BatchNormalizationSpec Read(LayerReader layer) => new(layer.Ints("axis") ?? [-1], layer.DoubleAtLeast("epsilon", 1e-3, 0),
        layer.Double("momentum", 0.99), layer.Bool("center", true), layer.Bool("scale", true), layer.Bool("renorm", false), layer.Bool("synchronized", false));

    /// <summary>The index of the first moving statistic among the weights (after gamma and beta, when present).</summary>
    public int FirstStatistic => (Scale ? 1 : 0) + (Center ? 1 : 0);

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
    [
        .. Scale ? [new WeightRole("gamma")] : Array.Empty<WeightRole>(),
        .. Center ? [new WeightRole("beta")] : Array.Empty<WeightRole>(),
        new("moving_mean", "running_mean"),
        new("moving_variance", "running_std"),
    ];
}
