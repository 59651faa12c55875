namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's reshaping layers as ONNX nodes (reference semantics: Runtime/Layers/Reshaping).</summary>
internal static class ReshapingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<FlattenSpec>(table, Flatten);
        OnnxLowerings.Add<ReshapeSpec>(table, (c, s) => c.Pass(c.Graph.Reshape(c.Input, [0, .. s.TargetShape])));
        OnnxLowerings.Add<PermuteSpec>(table, (c, s) => c.Pass(c.Graph.Transpose(c.Input, s.Order)));
        OnnxLowerings.Add<RepeatVectorSpec>(table, RepeatVector);
        OnnxLowerings.Add<CroppingSpec>(table, Cropping);
        OnnxLowerings.Add<ZeroPaddingSpec>(table, ZeroPadding);
        OnnxLowerings.Add<UpSamplingSpec>(table, UpSampling);
    }

    /// <summary>Flatten: keeps the batch axis, flattens the rest in channels_last order (channels_first moves the channel axis last first).</summary>
    static OnnxLowered Flatten(OnnxLayerCall c, FlattenSpec s)
    {
        var x = c.Input;
        if (s.ChannelsFirst && x.Rank > 2)
            x = c.Graph.Transpose(x, [0, .. Enumerable.Range(2, x.Rank - 2).Select(i => (long)i), 1]);
        return c.Pass(c.Graph.Reshape(x, 0, -1));
    }

    /// <summary>RepeatVector: <c>[batch, features]</c> to <c>[batch, n, features]</c>.</summary>
    static OnnxLowered RepeatVector(OnnxLayerCall c, RepeatVectorSpec s)
    {
        var g = c.Graph;
        long n = s.N;
        var column = g.Unsqueeze(c.Input, 1);
        return c.Pass(g.Node("Tile", [column, g.Longs(1, n, 1)], column.Type, [column.Shape[0], n, column.Shape[2]]));
    }

    /// <summary>Cropping1D/2D/3D: cuts (before, after) cells off each spatial axis.</summary>
    static OnnxLowered Cropping(OnnxLayerCall c, CroppingSpec s)
    {
        var cropping = s.Cropping;
        int first = s.FirstSpatialAxis;
        var x = c.Input;
        for (int i = 0; i < cropping.Length; i++)
        {
            var (before, after) = cropping[i];
            if (before != 0 || after != 0) x = c.Graph.Slice(x, first + i, before, after > 0 ? -after : long.MaxValue);
        }
        return c.Pass(x);
    }

    /// <summary>ZeroPadding1D/2D/3D: pads each spatial axis with zeros.</summary>
    static OnnxLowered ZeroPadding(OnnxLayerCall c, ZeroPaddingSpec s)
    {
        var padding = s.Padding;
        int first = s.FirstSpatialAxis;
        var x = c.Input;
        var pads = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < padding.Length ? padding[a - first] : (0, 0)).ToArray();
        return c.Pass(c.Graph.Pad(x, pads));
    }

    /// <summary>
    /// UpSampling1D/2D/3D with nearest interpolation repeats each cell <c>size</c> times: ONNX Resize with integer scales,
    /// asymmetric coordinates and floor rounding reads input cell <c>floor(i / size)</c>. UpSampling2D with another
    /// interpolation resizes like the Resizing layer.
    /// </summary>
    static OnnxLowered UpSampling(OnnxLayerCall c, UpSamplingSpec s)
    {
        var size = s.Size;
        int first = s.FirstSpatialAxis;
        var x = c.Input;
        if (s.Interpolation != "nearest")
            return c.Pass(PreprocessingLowerings.Resize(c, x, x.Dim(first) * size[0], x.Dim(first + 1) * size[1], s.Interpolation, s.ChannelsFirst, antialias: false));
        var scales = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < s.Rank ? (double)size[a - first] : 1.0).ToArray();
        var shape = x.Shape.Select((d, a) => d < 0 ? -1 : (long)(d * scales[a])).ToArray();
        var g = c.Graph;
        return c.Pass(g.Node("Resize", [x, null, g.Floats(scales.Select(scale => (float)scale).ToArray(), scales.Length)], x.Type, shape,
            Attr.String("mode", "nearest"), Attr.String("coordinate_transformation_mode", "asymmetric"), Attr.String("nearest_mode", "floor")));
    }
}
