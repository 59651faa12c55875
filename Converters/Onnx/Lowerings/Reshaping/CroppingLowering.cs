namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Cropping1D/2D/3D as ONNX Slice (reference semantics: Runtime/Layers/Reshaping/Cropping.cs).</summary>
internal static class CroppingLowering
{
    /// <summary>Cropping1D/2D/3D: cuts (before, after) cells off each spatial axis.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, CroppingSpec s)
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
}
