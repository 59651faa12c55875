namespace KerasPort.Specs.Ops;

/// <summary>
/// <c>keras.ops.zeros_like</c> and <c>keras.ops.ones_like</c> (keras/src/ops/numpy.py <c>ZerosLike(dtype=None)</c>,
/// <c>OnesLike(dtype=None)</c>), which Keras 3 writes where Concatenate builds its mask (concatenate.py compute_mask).
/// </summary>
/// <param name="Ones">Ones; zeros otherwise.</param>
/// <param name="DType">The Keras dtype name of the result (<c>dtype</c>); null keeps the operand's.</param>
public sealed record FillLikeOpSpec(bool Ones, string? DType) : OpSpec, ILayerSpec<FillLikeOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["ZerosLike", "OnesLike"]);

    /// <inheritdoc />
    public static FillLikeOpSpec Read(LayerReader layer) => new(layer.ClassName == "OnesLike", OpConfig.DType(layer));
}
