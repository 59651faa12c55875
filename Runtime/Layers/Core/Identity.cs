using KerasPort.Converters;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Layers whose output is their input: Keras's <c>Identity</c>, <c>ActivityRegularization</c> (whose penalty the
/// graph run adds to the training loss, as for any layer's <c>activity_regularizer</c>), and the random image
/// augmentation layers at inference (keras/layers/preprocessing/image_preprocessing.py
/// <c>BaseImageAugmentationLayer.call</c> returns its inputs unless training; the random state they keep in a
/// checkpoint is not a weight). The dropout and noise layers, which act in training, are in <c>Layers/Regularization</c>.
/// </summary>
public sealed class Identity : KerasLayer, IInferenceIdentity
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames =
    [
        "Identity", "ActivityRegularization",
        "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast",
    ];

    /// <summary>Builds the layer.</summary>
    public Identity(LayerContext context) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        arguments.Training && ClassName.StartsWith("Random", StringComparison.Ordinal)
            ? throw new UnsupportedLayerException(ClassName, Name, "random augmentation in training is not supported")
            : [arguments.Input];
}
