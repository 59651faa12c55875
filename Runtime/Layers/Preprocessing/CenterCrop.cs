namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>CenterCrop</c>: the central <c>height</c> x <c>width</c> window, starting at half the size
/// difference rounded down. An image smaller than the target along either axis is instead cropped to the target
/// aspect ratio and resized bilinearly (Keras's <c>smart_resize</c>), as
/// keras/src/layers/preprocessing/image_preprocessing/center_crop.py does.
/// </summary>
public sealed class CenterCrop(LayerContext context, CenterCropSpec spec) : KerasLayer(context)
{
    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        int rowAxis = spec.ChannelsFirst ? 2 : 1;
        long rowsLeft = x.Sizes()[rowAxis] - spec.Size.Height, columnsLeft = x.Sizes()[rowAxis + 1] - spec.Size.Width;
        if (rowsLeft < 0 || columnsLeft < 0)
            return [ImageResize.Resize(x, spec.Size.Height, spec.Size.Width, "bilinear", spec.ChannelsFirst, aspect: AspectRatio.Crop)];
        return [x.narrow(rowAxis, rowsLeft / 2, spec.Size.Height).narrow(rowAxis + 1, columnsLeft / 2, spec.Size.Width)];
    }
}
