namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Resizing</c>: resizes images to <c>height</c> x <c>width</c> with <c>interpolation</c>
/// (bilinear by default), optionally cropping or padding to the target aspect ratio first and antialiasing
/// (keras/src/layers/preprocessing/image_preprocessing/resizing.py, numerics in <see cref="ImageResize"/>).
/// </summary>
public sealed class Resizing(LayerContext context, ResizingSpec spec) : KerasLayer(context)
{
    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [ImageResize.Resize(arguments.Input, spec.Size.Height, spec.Size.Width, spec.Interpolation, spec.ChannelsFirst, spec.Antialias, spec.Aspect, spec.FillValue)];
}
