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
    readonly ImageResize.AspectRatio aspect;
    readonly double fillValue;

    /// <summary>Builds the layer.</summary>
    public Resizing(LayerContext context) : base(context)
    {
        height = context.Int("height", -1);
        width = context.Int("width", -1);
        if (height <= 0 || width <= 0)
            throw new FormatException($"Resizing '{context.Name}' needs positive 'height' and 'width'");
        interpolation = ImageResize.Check(context.String("interpolation", "bilinear")!, context);
        channelsFirst = context.String("data_format") == "channels_first";
        antialias = context.Bool("antialias", false);
        aspect = context.Bool("crop_to_aspect_ratio", false) ? ImageResize.AspectRatio.Crop
            : context.Bool("pad_to_aspect_ratio", false) ? ImageResize.AspectRatio.Pad
            : ImageResize.AspectRatio.Stretch;
        fillValue = context.Double("fill_value", 0);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [ImageResize.Resize(arguments.Input, height, width, interpolation, channelsFirst, antialias, aspect, fillValue)];
}
