namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Layers whose output is their input: Keras's <c>Identity</c>, <c>ActivityRegularization</c> (whose penalty the
/// graph run adds to the training loss, as for any layer's <c>activity_regularizer</c>) and <c>MaxNumBoundingBoxes</c>
/// (which pads bounding boxes and returns images unchanged:
/// keras/src/layers/preprocessing/image_preprocessing/max_num_bounding_box.py). The dropout and noise layers, which act in
/// training, are in <c>Layers/Regularization</c>; the random image augmentation layers, identity at inference, are
/// <see cref="Preprocessing.RandomAugmentation"/>.
/// </summary>
public sealed class Identity : KerasLayer, IInferenceIdentity
{
    /// <summary>Builds the layer.</summary>
    public Identity(LayerContext context) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input];
}
