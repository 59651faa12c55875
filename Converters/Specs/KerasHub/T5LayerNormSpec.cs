namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>T5LayerNorm</c> (keras_hub/src/models/t5/t5_layer_norm.py): <c>weight * x * rsqrt(mean(x^2) + epsilon)</c>
/// over the last axis: a root-mean-square norm, no mean subtracted, no offset.
/// </summary>
/// <param name="Epsilon">Added to the mean square (1e-6).</param>
public sealed record T5LayerNormSpec(double Epsilon) : LayerSpec, ILayerSpec<T5LayerNormSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>T5LayerNorm"];

    /// <inheritdoc />
    public static T5LayerNormSpec Read(LayerReader layer) => new(layer.DoubleAtLeast("epsilon", 1e-6, 0));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => [new("weight")];
}
