namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's normalization layers as ONNX nodes (reference semantics: Runtime/Layers/Normalization).</summary>
internal static class NormalizationLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<BatchNormalizationSpec>(table, BatchNormalizationLowering.Lower);
        OnnxLowerings.Add<LayerNormalizationSpec>(table, LayerNormalizationLowering.Lower);
        OnnxLowerings.Add<GroupNormalizationSpec>(table, GroupNormalizationLowering.Lower);
        OnnxLowerings.Add<UnitNormalizationSpec>(table, UnitNormalizationLowering.Lower);
        OnnxLowerings.Add<RMSNormalizationSpec>(table, RMSNormalizationLowering.Lower);
        OnnxLowerings.Add<SpectralNormalizationSpec>(table, (c, _) => SpectralNormalizationLowering.Lower(c));
    }
}
