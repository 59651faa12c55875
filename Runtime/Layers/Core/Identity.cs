using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Layers that are the identity at inference: Keras's <c>Identity</c>, and the dropout, noise, activity
/// regularization and random image augmentation layers, which only act when <c>training=True</c> (augmentation:
/// keras/layers/preprocessing/image_preprocessing.py <c>BaseImageAugmentationLayer.call</c> returns its inputs
/// unless training; the random state they keep in a checkpoint is not a weight).
/// </summary>
public sealed class Identity : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames =
    [
        "Identity", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
        "GaussianDropout", "GaussianNoise", "ActivityRegularization",
        "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast",
    ];

    /// <summary>Builds the layer.</summary>
    public Identity(LayerContext context) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input];
}
