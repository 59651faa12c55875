namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's core layers as ONNX nodes (reference semantics: Runtime/Layers/Core). One-line lowerings stand here; the
/// others have a file each, named after the layer.
/// </summary>
internal static class CoreLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<DenseSpec>(table, DenseLowering.Lower);
        OnnxLowerings.Add<EinsumDenseSpec>(table, EinsumDenseLowering.Lower);
        OnnxLowerings.Add<EmbeddingSpec>(table, EmbeddingLowering.Lower);
        OnnxLowerings.Add<ActivationSpec>(table, (c, s) => c.Pass(c.ApplyActivation(s.Activation, c.Input)));
        OnnxLowerings.Add<MaskingSpec>(table, MaskingLowering.Lower);
        OnnxLowerings.Add<IdentitySpec>(table, (c, _) => c.Pass(c.Input));
        OnnxLowerings.Add<ActivityRegularizationSpec>(table, (c, _) => c.Pass(c.Input));
        foreach (var name in Keras.ImageAugmentationClasses.Names) table[name] = c => c.Pass(c.Input);
        OnnxLowerings.Add<ReversibleEmbeddingSpec>(table, ReversibleEmbeddingLowering.Lower);
    }
}
