namespace KerasPort.Specs.Ops;

/// <summary><c>keras.ops.gelu</c> (keras/src/ops/nn.py <c>Gelu(approximate=True)</c>).</summary>
/// <param name="Approximate">The tanh approximation (<c>approximate</c>, true by default); the exact erf form otherwise.</param>
public sealed record GeluOpSpec(bool Approximate) : OpSpec, ILayerSpec<GeluOpSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = OpConfig.Keys(["Gelu"]);

    /// <inheritdoc />
    public static GeluOpSpec Read(LayerReader layer) => new(OpConfig.Flag(layer, "approximate", true));
}
