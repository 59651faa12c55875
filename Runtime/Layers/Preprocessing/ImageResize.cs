using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// <c>keras.ops.image.resize</c> on a batch of images as keras/src/backend/torch/image.py <c>resize</c> runs it:
/// an optional centred crop or pad to the target aspect ratio, then torch <c>interpolate</c> in channels-first
/// layout with <c>nearest</c> meaning torch's <c>nearest-exact</c>, <c>align_corners=False</c> (half-pixel centres)
/// for <c>bilinear</c> and <c>bicubic</c>, and <c>antialias</c> only for those two.
/// </summary>
internal static class ImageResize
{
    /// <summary>The interpolation names Keras's torch backend can resize with.</summary>
    public static bool Supports(string interpolation) => ResizingSpec.Interpolations.Contains(interpolation);

    /// <summary>Fails with <see cref="UnsupportedLayerException"/> unless Keras's torch backend can resize with <paramref name="interpolation"/>.</summary>
    public static string Check(string interpolation, LayerContext context) => Supports(interpolation)
        ? interpolation
        : throw new UnsupportedLayerException($"{context.ClassName}(interpolation={interpolation})", context.Name);

    /// <summary>
    /// Resizes a rank-4 batch of images to <paramref name="height"/> x <paramref name="width"/>. The result is in the
    /// input's layout.
    /// </summary>
    public static Tensor Resize(Tensor images, long height, long width, string interpolation, bool channelsFirst,
        bool antialias = false, AspectRatio aspect = AspectRatio.Stretch, double fillValue = 0)
    {
        var x = channelsFirst ? images : images.permute(0, 3, 1, 2);
        if (aspect == AspectRatio.Crop) x = CropToAspectRatio(x, height, width);
        else if (aspect == AspectRatio.Pad) x = PadToAspectRatio(x, height, width, fillValue);
        bool smooth = interpolation is "bilinear" or "bicubic";
        var mode = interpolation switch
        {
            "bilinear" => InterpolationMode.Bilinear,
            "bicubic" => InterpolationMode.Bicubic,
            _ => InterpolationMode.NearestExact,
        };
        // Keras passes align_corners=None for nearest; libtorch's C++ interpolate then warns on stderr for
        // nearest-exact, so False is passed for every mode: the nearest modes ignore it.
        var resized = F.interpolate(x, [height, width], mode: mode, align_corners: false, antialias: smooth && antialias);
        return channelsFirst ? resized : resized.permute(0, 2, 3, 1);
    }

    /// <summary>The largest centred window with the target's aspect ratio (integer arithmetic as Keras does it).</summary>
    static Tensor CropToAspectRatio(Tensor x, long targetHeight, long targetWidth)
    {
        long height = x.Sizes()[2], width = x.Sizes()[3];
        long cropHeight = Math.Max(Math.Min(height, (long)((double)(width * targetHeight) / targetWidth)), 1);
        long cropWidth = Math.Max(Math.Min(width, (long)((double)(height * targetWidth) / targetHeight)), 1);
        long top = (long)((height - cropHeight) / 2.0);
        long left = (long)((width - cropWidth) / 2.0);
        return x.narrow(2, top, cropHeight).narrow(3, left, cropWidth);
    }

    /// <summary>
    /// Pads to the target's aspect ratio, reproducing Keras's torch backend exactly: the same amount above and below
    /// (or left and right), rounded down, and the left band filled with 1 rather than <paramref name="fillValue"/>.
    /// </summary>
    static Tensor PadToAspectRatio(Tensor x, long targetHeight, long targetWidth, double fillValue)
    {
        long height = x.Sizes()[2], width = x.Sizes()[3];
        long padHeight = Math.Max(height, (long)((double)(width * targetHeight) / targetWidth));
        long padWidth = Math.Max(width, (long)((double)(height * targetWidth) / targetHeight));
        long top = (long)((padHeight - height) / 2.0);
        long left = (long)((padWidth - width) / 2.0);
        if (top > 0)
        {
            var band = full([x.Sizes()[0], x.Sizes()[1], top, width], Of(fillValue), x.dtype, x.device);
            x = cat([band, x, band], 2);
        }
        if (left > 0)
        {
            long[] bandShape = [x.Sizes()[0], x.Sizes()[1], height, left];
            x = cat([ones(bandShape, x.dtype, x.device), x, full(bandShape, Of(fillValue), x.dtype, x.device)], 3);
        }
        return x;
    }
}
