namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>UnitNormalization as ONNX nodes (reference semantics: Runtime/Layers/Normalization/UnitNormalization.cs).</summary>
internal static class UnitNormalizationLowering
{
    /// <summary>UnitNormalization: <c>x * rsqrt(max(sum(x^2), min_squared_norm))</c> over the layer's axes.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, UnitNormalizationSpec s)
    {
        var g = c.Graph;
        var squares = g.Reduce("ReduceSum", g.Mul(c.Input, c.Input), s.Axes, keepDims: true);
        return c.Pass(g.Mul(c.Input, NormalizationMath.Rsqrt(g, g.Binary("Max", squares, g.Scalar(UnitNormalizationSpec.MinSquaredNorm)))));
    }
}
