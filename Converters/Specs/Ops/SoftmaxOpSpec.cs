namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.softmax</c> (keras/src/ops/nn.py <c>Softmax(axis=-1)</c>).</summary>
/// <param name="Axis">The axis normalized over (<c>axis</c>, -1 by default).</param>
public sealed record SoftmaxOpSpec(long Axis) : OpSpec, ILayerSpec<SoftmaxOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Softmax"]);

    /// <inheritdoc />
    public static SoftmaxOpSpec Read(LayerReader layer) => new(OpConfig.Axis(layer, "axis", -1));
}
