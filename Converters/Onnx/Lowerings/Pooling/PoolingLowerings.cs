namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's pooling layers as ONNX nodes (reference semantics: Runtime/Layers/Pooling).</summary>
internal static class PoolingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<PoolingSpec>(table, WindowPoolingLowering.Lower);
        OnnxLowerings.Add<GlobalPoolingSpec>(table, GlobalPoolingLowering.Lower);
        OnnxLowerings.Add<AdaptivePoolingSpec>(table, AdaptivePoolingLowering.Lower);
    }
}
