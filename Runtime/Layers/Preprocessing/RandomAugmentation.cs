namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras's random image augmentation layers, which are the identity at inference: Keras 3's
/// <c>BaseImagePreprocessingLayer.call</c> (keras/src/layers/preprocessing/image_preprocessing/base_image_preprocessing_layer.py)
/// draws no transformation unless training, and each <c>transform_images</c> returns its input then. RandomCrop too
/// returns its input unchanged (random_crop.py crops only in training), although its <c>compute_output_shape</c>
/// declares the cropped size. Keras 2's <c>BaseImageAugmentationLayer</c> does the same; the random state the layers
/// keep in a checkpoint is not a weight. AutoContrast, which acts at inference, is <see cref="AutoContrast"/>.
/// </summary>
public sealed class RandomAugmentation : KerasLayer, IInferenceIdentity
{
    /// <summary>Builds the layer.</summary>
    public RandomAugmentation(LayerContext context, ImageAugmentationSpec spec) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        arguments.Training
            ? throw new UnsupportedLayerException(ClassName, Name, "random augmentation in training is not supported")
            : [arguments.Input];
}
