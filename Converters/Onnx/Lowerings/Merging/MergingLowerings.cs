namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's merging layers as ONNX nodes (reference semantics: Runtime/Layers/Merging). One-line lowerings stand here;
/// the others have a file each, named after the layer.
/// </summary>
internal static class MergingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<MergeSpec>(table, MergeLowering.Lower);
        OnnxLowerings.Add<ConcatenateSpec>(table, (c, s) => c.Pass(c.Graph.Concat(c.Inputs, s.Axis)));
        OnnxLowerings.Add<DotSpec>(table, DotLowering.Lower);
    }
}
