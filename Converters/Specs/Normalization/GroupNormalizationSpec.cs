namespace KerasPort.Specs.Normalization;

/// <summary>Keras <c>GroupNormalization</c> (keras/src/layers/normalization/group_normalization.py): normalizes each group of channels.</summary>
/// <param name="Groups">The channel group count, 32 by default; -1 for one group per channel.</param>
/// <param name="Axis">The channel axis, -1 by default.</param>
/// <param name="Epsilon">Added to the variance, 1e-3 by default.</param>
/// <param name="Center">Whether the layer has <c>beta</c>.</param>
/// <param name="Scale">Whether the layer has <c>gamma</c>.</param>
public sealed record GroupNormalizationSpec(int Groups, int Axis, double Epsilon, bool Center, bool Scale) : LayerSpec, ILayerSpec<GroupNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GroupNormalization"];

    /// <inheritdoc />
    public static GroupNormalizationSpec Read(LayerReader layer)
    {
        int groups = layer.Int("groups", 32);
        if (groups is 0 or < -1) throw layer.ConfigError("groups", $"must be positive (or -1: one group per channel), got {groups}");
        return new(groups, layer.Int("axis", -1), layer.DoubleAtLeast("epsilon", 1e-3, 0), layer.Bool("center", true), layer.Bool("scale", true));
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [.. Scale ? [new WeightRole("gamma")] : Array.Empty<WeightRole>(), .. Center ? [new WeightRole("beta")] : Array.Empty<WeightRole>()];
}
