namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>ZeroPadding1D/2D/3D as ONNX Pad (reference semantics: Runtime/Layers/Reshaping/ZeroPadding.cs).</summary>
internal static class ZeroPaddingLowering
{
    /// <summary>ZeroPadding1D/2D/3D: pads each spatial axis with zeros.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ZeroPaddingSpec s)
    {
        var padding = s.Padding;
        int first = s.FirstSpatialAxis;
        var x = c.Input;
        var pads = Enumerable.Range(0, x.Rank).Select(a => a >= first && a - first < padding.Length ? padding[a - first] : (0, 0)).ToArray();
        return c.Pass(c.Graph.Pad(x, pads));
    }
}
