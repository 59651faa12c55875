namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras's random image augmentation layers (<see cref="ImageAugmentationClasses"/>), the identity at inference: no
/// config value changes what they compute then.
/// </summary>
public sealed record ImageAugmentationSpec : LayerSpec, ILayerSpec<ImageAugmentationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames => ImageAugmentationClasses.Names;

    /// <inheritdoc />
    public static ImageAugmentationSpec Read(LayerReader layer) => new();
}
