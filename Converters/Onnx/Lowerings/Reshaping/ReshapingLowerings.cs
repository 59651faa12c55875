namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's reshaping layers as ONNX nodes (reference semantics: Runtime/Layers/Reshaping). One-line lowerings stand
/// here; the others have a file each, named after the layer.
/// </summary>
internal static class ReshapingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<FlattenSpec>(table, FlattenLowering.Lower);
        OnnxLowerings.Add<ReshapeSpec>(table, (c, s) => c.Pass(c.Graph.Reshape(c.Input, [0, .. s.TargetShape])));
        OnnxLowerings.Add<PermuteSpec>(table, (c, s) => c.Pass(c.Graph.Transpose(c.Input, s.Order)));
        OnnxLowerings.Add<RepeatVectorSpec>(table, RepeatVectorLowering.Lower);
        OnnxLowerings.Add<CroppingSpec>(table, CroppingLowering.Lower);
        OnnxLowerings.Add<ZeroPaddingSpec>(table, ZeroPaddingLowering.Lower);
        OnnxLowerings.Add<UpSamplingSpec>(table, UpSamplingLowering.Lower);
    }
}
