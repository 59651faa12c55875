namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras 3 <c>AutoContrast</c> (keras/src/layers/preprocessing/image_preprocessing/auto_contrast.py): stretches each
/// image's channels to the full <c>value_range</c>, at inference too.
/// </summary>
/// <param name="ValueRange">The images' value range, (0, 255) by default.</param>
public sealed record AutoContrastSpec(ValueRange ValueRange) : LayerSpec, ILayerSpec<AutoContrastSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["AutoContrast"];

    /// <inheritdoc />
    public static AutoContrastSpec Read(LayerReader layer) => new(ValueRange.Read(layer));
}
