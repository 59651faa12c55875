namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Resizing</c>: resizes images to <c>height</c> x <c>width</c> with <c>interpolation</c>
/// (bilinear by default), optionally cropping or padding to the target aspect ratio first and antialiasing
/// (keras/src/layers/preprocessing/image_preprocessing/resizing.py, numerics in <see cref="ImageResize"/>).
/// </summary>
public sealed class Resizing : KerasLayer
{
    readonly long height;
    readonly long width;
    readonly string interpolation;
    readonly bool channelsFirst;
    readonly bool antialias;
    readonly AspectRatio aspect;
    readonly double fillValue;

    /// <summary>Builds the layer.</summary>
    public Resizing(LayerContext context, ResizingSpec spec) : base(context)
    {
        (height, width) = (spec.Size.Height, spec.Size.Width);
        interpolation = spec.Interpolation;
        channelsFirst = spec.ChannelsFirst;
        antialias = spec.Antialias;
        aspect = spec.Aspect;
        fillValue = spec.FillValue;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [ImageResize.Resize(arguments.Input, height, width, interpolation, channelsFirst, antialias, aspect, fillValue)];
}
