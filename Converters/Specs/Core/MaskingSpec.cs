namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>Masking</c> (keras/src/layers/core/masking.py): zeroes the timesteps whose features all equal
/// <c>mask_value</c> and masks them for downstream layers.
/// </summary>
/// <param name="MaskValue">The value that marks a padded timestep, 0 by default.</param>
public sealed record MaskingSpec(double MaskValue) : LayerSpec, ILayerSpec<MaskingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Masking"];

    /// <inheritdoc />
    public static MaskingSpec Read(LayerReader layer) => new(layer.Double("mask_value", 0.0));
}
