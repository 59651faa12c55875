using KerasPort.Converters.Keras;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's reshaping layers as ONNX nodes (reference semantics: Runtime/Layers/Reshaping).</summary>
internal static class ReshapingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        table["Flatten"] = Flatten;
        table["Reshape"] = c => c.Pass(c.Graph.Reshape(c.Input, [0, .. (c.Ints("target_shape")
            ?? throw new FormatException($"Reshape '{c.Name}' has no 'target_shape'")).Select(d => (long)d)]));
        table["Permute"] = c => c.Pass(c.Graph.Transpose(c.Input, [0, .. (c.Ints("dims")
            ?? throw new FormatException($"Permute '{c.Name}' has no 'dims'")).Select(d => (long)d)]));
        table["RepeatVector"] = RepeatVector;
        foreach (var name in new[] { "Cropping1D", "Cropping2D", "Cropping3D" }) table[name] = Cropping;
        foreach (var name in new[] { "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D" }) table[name] = ZeroPadding;
        foreach (var name in new[] { "UpSampling1D", "UpSampling2D", "UpSampling3D" }) table[name] = UpSampling;
    }

    /// <summary>Flatten: keeps the batch axis, flattens the rest in channels_last order (channels_first moves the channel axis last first).</summary>
    static OnnxLowered Flatten(OnnxLayerCall c)
    {
        var x = c.Input;
        if (SpatialConfig.ChannelsFirst(c) && x.Rank > 2)
            x = c.Graph.Transpose(x, [0, .. Enumerable.Range(2, x.Rank - 2).Select(i => (long)i), 1]);
        return c.Pass(c.Graph.Reshape(x, 0, -1));
    }

    /// <summary>RepeatVector: <c>[batch, features]</c> to <c>[batch, n, features]</c>.</summary>
    static OnnxLowered RepeatVector(OnnxLayerCall c)
    {
        var g = c.Graph;
        long n = c.Int("n", 1);
        var column = g.Unsqueeze(c.Input, 1);
        return c.Pass(g.Node("Tile", [column, g.Longs(1, n, 1)], column.Type, [column.Shape[0], n, column.Shape[2]]));
    }

    /// <summary>Cropping1D/2D/3D: cuts (before, after) cells off each spatial axis.</summary>
    static OnnxLowered Cropping(OnnxLayerCall c)
    {
        var cropping = SpatialConfig.Pairs(c, "cropping", c.ClassName[^2] - '0');
        int first = SpatialConfig.FirstSpatialAxis(c);
        var x = c.Input;
        for (int i = 0; i < cropping.Length; i++)
        {
            var (before, after) = cropping[i];
            if (before != 0 || after != 0) x = c.Graph.Slice(x, first + i, before, after > 0 ? -after : long.MaxValue);
        }
        return c.Pass(x);
    }

    /// <summary>ZeroPadding1D/2D/3D: pads each spatial axis with zeros.</summary>
    static OnnxLowered ZeroPadding(OnnxLayerCall c)
    {
        var padding = SpatialConfig.Pairs(c, "padding", c.ClassName[^2] - '0');
        int first = SpatialConfig.FirstSpatialAxis(c);
        var x = c.Input;
        var pads = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < padding.Length ? padding[a - first] : (0, 0)).ToArray();
        return c.Pass(c.Graph.Pad(x, pads));
    }

    /// <summary>
    /// UpSampling1D/2D/3D with nearest interpolation repeats each cell <c>size</c> times: ONNX Resize with integer scales,
    /// asymmetric coordinates and floor rounding reads input cell <c>floor(i / size)</c>. UpSampling2D with another
    /// interpolation resizes like the Resizing layer.
    /// </summary>
    static OnnxLowered UpSampling(OnnxLayerCall c)
    {
        int dims = c.ClassName[^2] - '0';
        var configured = c.Ints("size") ?? [2];
        var size = (configured.Length == 1 ? Enumerable.Repeat(configured[0], dims) : configured).Select(s => (long)s).ToArray();
        if (size.Length != dims) throw new FormatException($"{c.ClassName} '{c.Name}': 'size' needs {dims} entries, got {size.Length}");
        int first = SpatialConfig.FirstSpatialAxis(c);
        var x = c.Input;
        var interpolation = c.String("interpolation", "nearest")!;
        if (interpolation != "nearest")
            return c.Pass(PreprocessingLowerings.Resize(c, x, x.Dim(first) * size[0], x.Dim(first + 1) * size[1], interpolation, first == 2, antialias: false));
        var scales = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < dims ? (double)size[a - first] : 1.0).ToArray();
        var shape = x.Shape.Select((d, a) => d < 0 ? -1 : (long)(d * scales[a])).ToArray();
        var g = c.Graph;
        return c.Pass(g.Node("Resize", [x, null, g.Floats(scales.Select(s => (float)s).ToArray(), scales.Length)], x.Type, shape,
            Attr.String("mode", "nearest"), Attr.String("coordinate_transformation_mode", "asymmetric"), Attr.String("nearest_mode", "floor")));
    }
}
