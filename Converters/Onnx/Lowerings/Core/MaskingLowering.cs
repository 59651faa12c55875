namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Masking as ONNX nodes (reference semantics: Runtime/Layers/Core/Masking.cs).</summary>
internal static class MaskingLowering
{
    /// <summary>Masking: zeroes time steps whose features all equal <c>mask_value</c> and masks them.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, MaskingSpec spec)
    {
        var g = c.Graph;
        var x = c.Input;
        var differs = g.Cast(NotEqual(g, x, spec.MaskValue), OnnxType.Float);
        var keep = g.Reduce("ReduceMax", differs, [-1], keepDims: false);
        var output = g.Mul(x, g.Unsqueeze(keep, -1));
        return new OnnxLowered([output], g.Cast(keep, OnnxType.Bool));
    }

    /// <summary>Boolean <c>x != value</c> with the constant in <paramref name="x"/>'s type.</summary>
    internal static OnnxValue NotEqual(OnnxGraph g, OnnxValue x, double value) =>
        g.Unary("Not", g.Compare("Equal", x, g.ScalarOf(x.Type, value)));
}
