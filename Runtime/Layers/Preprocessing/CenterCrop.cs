namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>CenterCrop</c>: the central <c>height</c> x <c>width</c> window, starting at half the size
/// difference rounded down. An image smaller than the target along either axis is instead cropped to the target
/// aspect ratio and resized bilinearly (Keras's <c>smart_resize</c>), as
/// keras/src/layers/preprocessing/image_preprocessing/center_crop.py does.
/// </summary>
public sealed class CenterCrop : KerasLayer
{
    readonly long height;
    readonly long width;
    readonly bool channelsFirst;

    /// <summary>Builds the layer.</summary>
    public CenterCrop(LayerContext context, CenterCropSpec spec) : base(context)
    {
        (height, width) = (spec.Size.Height, spec.Size.Width);
        channelsFirst = spec.ChannelsFirst;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        int rowAxis = channelsFirst ? 2 : 1;
        long rowsLeft = x.Sizes()[rowAxis] - height, columnsLeft = x.Sizes()[rowAxis + 1] - width;
        if (rowsLeft < 0 || columnsLeft < 0)
            return [ImageResize.Resize(x, height, width, "bilinear", channelsFirst, aspect: AspectRatio.Crop)];
        return [x.narrow(rowAxis, rowsLeft / 2, height).narrow(rowAxis + 1, columnsLeft / 2, width)];
    }
}
