namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// <c>keras.ops.image.resize</c> as ONNX Resize, for the Resizing, CenterCrop and UpSampling2D lowerings (reference
/// semantics: Runtime/Layers/Preprocessing/ImageResize.cs).
/// </summary>
internal static class ImageResize
{
    /// <summary>
    /// <c>keras.ops.image.resize</c> as keras/src/backend/torch/image.py runs it (the runtime's ImageResize): an optional
    /// centred crop or pad to the target aspect ratio, then torch's interpolate: nearest is <c>nearest-exact</c>
    /// (half-pixel centres, ONNX nearest_mode round_prefer_ceil), bilinear and bicubic (a = -0.75) with half-pixel
    /// centres and clamped borders; antialiasing (opset 18) uses torch's filters (bicubic a = -0.5) with weights
    /// renormalized inside the image.
    /// </summary>
    internal static OnnxValue Resize(OnnxLayerCall c, OnnxValue images, long height, long width, string interpolation, bool channelsFirst,
        bool antialias, AspectRatio aspect = AspectRatio.Stretch, double fillValue = 0)
    {
        if (interpolation is not ("nearest" or "bilinear" or "bicubic")) throw new UnsupportedLayerException($"{c.ClassName}(interpolation={interpolation})", c.Name);
        var g = c.Graph;
        var x = channelsFirst ? images : g.Transpose(images, 0, 3, 1, 2);
        long inHeight = x.Dim(2), inWidth = x.Dim(3);
        if (aspect != AspectRatio.Stretch && (inHeight < 0 || inWidth < 0)) throw c.Unsupported("aspect-ratio cropping or padding needs fixed image sizes");
        if (aspect == AspectRatio.Crop)
        {
            long cropHeight = Math.Max(Math.Min(inHeight, (long)((double)(inWidth * height) / width)), 1);
            long cropWidth = Math.Max(Math.Min(inWidth, (long)((double)(inHeight * width) / height)), 1);
            long top = (long)((inHeight - cropHeight) / 2.0), left = (long)((inWidth - cropWidth) / 2.0);
            x = g.Slice(g.Slice(x, 2, top, top + cropHeight), 3, left, left + cropWidth);
        }
        else if (aspect == AspectRatio.Pad)
            x = PadToAspectRatio(g, x, height, width, fillValue);
        bool smooth = interpolation != "nearest";
        if (antialias && smooth && g.Opset < 18) throw c.Unsupported("antialiased resizing needs opset 18");
        // ONNX Runtime's transpose optimizer may move a Resize between channels_last transposes; its bicubic kernel then
        // refuses downscaling, so bicubic resizes images folded into the batch axis, where no transpose can reach.
        var channels = x.Dim(1);
        bool fold = interpolation == "bicubic";
        if (fold && (channels < 0 || x.Dim(2) < 0 || x.Dim(3) < 0)) throw c.Unsupported("bicubic resizing needs fixed image sizes and channels");
        if (fold) x = g.Reshape(x, -1, 1, x.Dim(2), x.Dim(3));
        var sizes = g.Concat([g.Slice(g.ShapeOf(x), 0, 0, 2), g.Longs(height, width)], 0);
        var attributes = new List<Proto.AttributeProto>
        {
            Attr.String("mode", interpolation switch { "bilinear" => "linear", "bicubic" => "cubic", _ => "nearest" }),
            Attr.String("coordinate_transformation_mode", "half_pixel"),
        };
        if (interpolation == "nearest") attributes.Add(Attr.String("nearest_mode", "round_prefer_ceil"));
        if (interpolation == "bicubic") attributes.Add(Attr.Float("cubic_coeff_a", antialias ? -0.5 : -0.75));
        if (antialias && smooth)
        {
            attributes.Add(Attr.Int("antialias", 1));
            attributes.Add(Attr.Int("exclude_outside", 1));
        }
        var resized = g.Node("Resize", [x, null, null, sizes], x.Type, [x.Shape[0], x.Shape[1], height, width], [.. attributes]);
        if (fold) resized = g.Reshape(resized, -1, channels, height, width);
        return channelsFirst ? resized : g.Transpose(resized, 0, 2, 3, 1);
    }

    /// <summary>
    /// Pads channels-first images to the target aspect ratio exactly as Keras's torch backend does: the same amount on
    /// both sides, rounded down, the top and bottom bands filled with <paramref name="fillValue"/>, the left band with 1.
    /// </summary>
    static OnnxValue PadToAspectRatio(OnnxGraph g, OnnxValue x, long targetHeight, long targetWidth, double fillValue)
    {
        long height = x.Dim(2), width = x.Dim(3);
        long padHeight = Math.Max(height, (long)((double)(width * targetHeight) / targetWidth));
        long padWidth = Math.Max(width, (long)((double)(height * targetWidth) / targetHeight));
        long top = (long)((padHeight - height) / 2.0), left = (long)((padWidth - width) / 2.0);
        if (top > 0) x = g.Pad(x, [(0, 0), (0, 0), (top, top), (0, 0)], fillValue);
        if (left > 0)
        {
            var like = g.Slice(x, 3, 0, left);
            var band = g.Expand(g.Scalar(1), g.ShapeOf(like), like.Shape);
            x = g.Concat([band, g.Pad(x, [(0, 0), (0, 0), (0, 0), (0, left)], fillValue)], 3);
        }
        return x;
    }
}
