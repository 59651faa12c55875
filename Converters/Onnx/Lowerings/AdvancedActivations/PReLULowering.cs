namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>PReLU as ONNX PRelu (reference semantics: Runtime/Layers/AdvancedActivations/PReLU.cs).</summary>
internal static class PReLULowering
{
    /// <summary>PReLU: <c>x</c> where positive, <c>alpha * x</c> elsewhere, alpha broadcast over the shared axes.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, PReLUSpec s)
    {
        c.ExpectWeightCount(1);
        var x = c.Input;
        var alpha = c.Weight(0, "alpha", s.AlphaShape(x.Shape));
        return c.Pass(c.Graph.Node("PRelu", [x, alpha], x.Type, x.Shape));
    }
}
