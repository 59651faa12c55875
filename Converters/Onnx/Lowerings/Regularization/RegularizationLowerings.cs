namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's regularization layers as ONNX nodes: the identity, as at inference (Runtime/Layers/Regularization).</summary>
internal static class RegularizationLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<DropoutSpec>(table, (c, _) => c.Pass(c.Input));
        OnnxLowerings.Add<AlphaDropoutSpec>(table, (c, _) => c.Pass(c.Input));
        OnnxLowerings.Add<GaussianDropoutSpec>(table, (c, _) => c.Pass(c.Input));
        OnnxLowerings.Add<GaussianNoiseSpec>(table, (c, _) => c.Pass(c.Input));
    }
}
