namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's activation layers as ONNX nodes (reference semantics: Runtime/Layers/AdvancedActivations). One-line
/// lowerings stand here; the others have a file each, named after the layer.
/// </summary>
internal static class AdvancedActivationLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<LeakyReLUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("LeakyRelu", c.Input, Attr.Float("alpha", s.NegativeSlope))));
        OnnxLowerings.Add<ELUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("Elu", c.Input, Attr.Float("alpha", s.Alpha))));
        OnnxLowerings.Add<PReLUSpec>(table, PReLULowering.Lower);
        OnnxLowerings.Add<ReLUSpec>(table, ReLULowering.Lower);
        OnnxLowerings.Add<SoftmaxSpec>(table, SoftmaxLowering.Lower);
    }
}
