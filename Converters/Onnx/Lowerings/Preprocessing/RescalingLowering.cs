namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Rescaling as ONNX Mul and Add (reference semantics: Runtime/Layers/Preprocessing/Rescaling.cs).</summary>
internal static class RescalingLowering
{
    /// <summary>Rescaling: <c>x * scale + offset</c>, each a scalar or a per-channel list.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, RescalingSpec s)
    {
        var g = c.Graph;
        OnnxValue Constant(ScalarOrList value) => value.IsList ? g.Floats(value.Floats, value.Floats.Length) : g.Floats(value.Floats);
        return c.Pass(g.Add(g.Mul(g.Cast(c.Input, OnnxType.Float), Constant(s.Scale)), Constant(s.Offset)));
    }
}
