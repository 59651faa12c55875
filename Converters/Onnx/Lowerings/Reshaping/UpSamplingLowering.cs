namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>UpSampling1D/2D/3D as ONNX Resize (reference semantics: Runtime/Layers/Reshaping/UpSampling.cs).</summary>
internal static class UpSamplingLowering
{
    /// <summary>
    /// UpSampling1D/2D/3D with nearest interpolation repeats each cell <c>size</c> times: ONNX Resize with integer scales,
    /// asymmetric coordinates and floor rounding reads input cell <c>floor(i / size)</c>. UpSampling2D with another
    /// interpolation resizes like the Resizing layer.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, UpSamplingSpec s)
    {
        var size = s.Size;
        int first = s.FirstSpatialAxis;
        var x = c.Input;
        if (s.Interpolation != "nearest")
            return c.Pass(ImageResize.Resize(c, x, x.Dim(first) * size[0], x.Dim(first + 1) * size[1], s.Interpolation, s.ChannelsFirst, antialias: false));
        var scales = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < s.Rank ? (double)size[a - first] : 1.0).ToArray();
        var shape = x.Shape.Select((d, a) => d < 0 ? -1 : (long)(d * scales[a])).ToArray();
        var g = c.Graph;
        return c.Pass(g.Node("Resize", [x, null, g.Floats(scales.Select(scale => (float)scale).ToArray(), scales.Length)], x.Type, shape,
            Attr.String("mode", "nearest"), Attr.String("coordinate_transformation_mode", "asymmetric"), Attr.String("nearest_mode", "floor")));
    }
}
