namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's preprocessing layers as ONNX nodes (reference semantics: Runtime/Layers/Preprocessing).</summary>
internal static class PreprocessingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<RescalingSpec>(table, Rescaling);
        OnnxLowerings.Add<NormalizationSpec>(table, Normalization);
        OnnxLowerings.Add<CategoryEncodingSpec>(table, CategoryEncoding);
        OnnxLowerings.Add<ResizingSpec>(table, (c, s) =>
            c.Pass(Resize(c, c.Input, s.Size.Height, s.Size.Width, s.Interpolation, s.ChannelsFirst, s.Antialias, s.Aspect, s.FillValue)));
        OnnxLowerings.Add<CenterCropSpec>(table, CenterCrop);
        OnnxLowerings.Add<ImageAugmentationSpec>(table, (c, _) => c.Pass(c.Input));
    }

    /// <summary>Rescaling: <c>x * scale + offset</c>, each a scalar or a per-channel list.</summary>
    static OnnxLowered Rescaling(OnnxLayerCall c, RescalingSpec s)
    {
        var g = c.Graph;
        OnnxValue Constant(ScalarOrList value) => value.IsList ? g.Floats(value.Floats, value.Floats.Length) : g.Floats(value.Floats);
        return c.Pass(g.Add(g.Mul(g.Cast(c.Input, OnnxType.Float), Constant(s.Scale)), Constant(s.Offset)));
    }

    /// <summary>
    /// Normalization: <c>(x - mean) / max(sqrt(variance), 1e-7)</c>, or <c>mean + x * scale</c> with <c>invert</c>; the
    /// statistics come from adapted weights or the config and align right to left with the kept axes.
    /// </summary>
    static OnnxLowered Normalization(OnnxLayerCall c, NormalizationSpec s)
    {
        var g = c.Graph;
        var x = g.Cast(c.Input, OnnxType.Float);
        var keep = s.Axes.Select(x.Axis).Order().ToArray();
        bool adapted = c.Weights.Count > 0 || s.Mean is null;
        (float[] Data, long[] Shape) mean, variance;
        if (adapted)
        {
            c.ExpectWeightCount(3);
            mean = c.WeightData(0, "mean", c.Weights[0].Value.Shape);
            variance = c.WeightData(1, "variance", mean.Shape);
        }
        else
        {
            mean = (s.Mean!.Data, s.Mean.Shape);
            variance = (s.Variance!.Data, s.Variance.Shape);
        }
        long[] Broadcastable(long[] shape)
        {
            if (shape.Length == 0) return shape;
            var result = Enumerable.Repeat(1L, x.Rank).ToArray();
            for (int i = 1; i <= shape.Length; i++) result[keep[^i]] = shape[^i];
            return result;
        }
        var scale = variance.Data.Select(v => Math.Max(MathF.Sqrt(v), 1e-7f)).ToArray();
        var m = c.Derived("mean", mean.Data, Broadcastable(mean.Shape));
        var scaled = c.Derived("scale", scale, Broadcastable(variance.Shape));
        return c.Pass(s.Invert ? g.Add(m, g.Mul(x, scaled)) : g.Div(g.Sub(x, m), scaled));
    }

    /// <summary>
    /// CategoryEncoding: ids to one_hot, multi_hot or count vectors of length <c>num_tokens</c>; a trailing axis of size 1
    /// is squeezed before one-hot encoding; multi_hot and count reduce over the last input axis.
    /// </summary>
    static OnnxLowered CategoryEncoding(OnnxLayerCall c, CategoryEncodingSpec s)
    {
        var g = c.Graph;
        long tokens = s.NumTokens;
        var mode = s.OutputMode;
        var ids = g.Cast(c.Input, OnnxType.Int64);
        OnnxValue OneHot(OnnxValue indices) => g.Node("OneHot", [indices, g.Longs(tokens), g.Floats([0f, 1f], 2)], OnnxType.Float,
            [.. indices.Shape, tokens], Attr.Int("axis", -1));
        if (mode == "one_hot")
        {
            if (ids.Rank > 1 && ids.Dim(-1) == 1) ids = g.Squeeze(ids, -1);
            return c.Pass(OneHot(ids));
        }
        bool single = ids.Rank == 1;
        var encoded = OneHot(single ? g.Unsqueeze(ids, 0) : ids);
        var reduced = g.Reduce(mode == "count" ? "ReduceSum" : "ReduceMax", encoded, [-2], keepDims: false);
        return c.Pass(single ? g.Squeeze(reduced, 0) : reduced);
    }

    /// <summary>CenterCrop: the central window, or (for a smaller image) a crop to the target aspect ratio resized bilinearly.</summary>
    static OnnxLowered CenterCrop(OnnxLayerCall c, CenterCropSpec s)
    {
        long height = s.Size.Height, width = s.Size.Width;
        bool channelsFirst = s.ChannelsFirst;
        var x = c.Input;
        int row = channelsFirst ? 2 : 1;
        if (x.Dim(row) < 0 || x.Dim(row + 1) < 0) throw c.Unsupported("center cropping needs fixed image sizes");
        long rowsLeft = x.Dim(row) - height, columnsLeft = x.Dim(row + 1) - width;
        if (rowsLeft < 0 || columnsLeft < 0) return c.Pass(Resize(c, x, height, width, "bilinear", channelsFirst, false, AspectRatio.Crop));
        var g = c.Graph;
        return c.Pass(g.Slice(g.Slice(x, row, rowsLeft / 2, rowsLeft / 2 + height), row + 1, columnsLeft / 2, columnsLeft / 2 + width));
    }

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
