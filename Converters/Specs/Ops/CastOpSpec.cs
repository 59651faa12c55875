namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.cast</c> (keras/src/ops/core.py <c>Cast(dtype)</c>).</summary>
/// <param name="DType">The Keras dtype name cast to (<c>dtype</c>; float32 when a config lacks it).</param>
public sealed record CastOpSpec(string DType) : OpSpec, ILayerSpec<CastOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Cast"]);

    /// <inheritdoc />
    public static CastOpSpec Read(LayerReader layer) => new(OpConfig.DType(layer) ?? "float32");
}
