namespace KerasPort.Converters.Keras;

/// <summary>
/// Keras's random image augmentation layers, which are the identity at inference (Keras 3's
/// <c>BaseImagePreprocessingLayer.call</c> draws no transformation unless training; RandomCrop too returns its input
/// then): the one list the runtime and the ONNX lowering read. <c>Equalization</c> is not random, but Keras 3.15.1 applies
/// it only when training too (equalization.py, <c>transform_images</c>: <c>if training: ... return images</c>).
/// </summary>
internal static class ImageAugmentationClasses
{
    /// <summary>The class names.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast", "RandomCrop", "RandomGrayscale",
        "RandomHue", "RandomShear", "RandomErasing", "RandomGaussianBlur", "RandomInvert", "RandomPerspective",
        "RandomColorJitter", "RandomBrightness", "RandomSaturation", "RandomSharpness", "RandomPosterization", "Solarization",
        "RandomColorDegeneration", "RandomElasticTransform", "AugMix", "RandAugment", "CutMix", "MixUp", "Equalization",
    ];
}
