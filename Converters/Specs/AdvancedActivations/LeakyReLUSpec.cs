namespace KerasPort.Specs.AdvancedActivations;

/// <summary>Keras <c>LeakyReLU</c> (keras/src/layers/activations/leaky_relu.py).</summary>
/// <param name="NegativeSlope">The slope below 0 (Keras 1/2's <c>alpha</c>, renamed on load); 0.3 by default, unlike the activation function's 0.2.</param>
public sealed record LeakyReLUSpec(double NegativeSlope) : LayerSpec, ILayerSpec<LeakyReLUSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["LeakyReLU"];

    /// <inheritdoc />
    public static LeakyReLUSpec Read(LayerReader layer) => new(layer.Double("negative_slope", 0.3));
}
