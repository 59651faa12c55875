namespace KerasPort.Specs.AdvancedActivations;

/// <summary>
/// Keras <c>ReLU</c> and Keras 2's <c>ThresholdedReLU</c>, which is the same function with <c>threshold = theta</c>
/// (default 1): <c>x</c> above the threshold, else <c>negative_slope * (x - threshold)</c>, clipped at
/// <c>max_value</c> (keras/src/layers/activations/relu.py).
/// </summary>
/// <param name="NegativeSlope">The slope below the threshold, at least 0.</param>
/// <param name="MaxValue">The cap, or null for none.</param>
/// <param name="Threshold">Where the function bends.</param>
public sealed record ReLUSpec(double NegativeSlope, double? MaxValue, double Threshold) : LayerSpec, ILayerSpec<ReLUSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ReLU", "ThresholdedReLU"];

    /// <inheritdoc />
    public static ReLUSpec Read(LayerReader layer)
    {
        if (layer.ClassName == "ThresholdedReLU") return new(0, null, layer.Double("theta", 1));
        double? maxValue = layer.Has("max_value") ? layer.Double("max_value", 0) : null;
        if (maxValue < 0) throw layer.ConfigError("max_value", $"must be at least 0, got {maxValue}");
        double slope = layer.Double("negative_slope", 0);
        if (slope < 0) throw layer.ConfigError("negative_slope", $"must be at least 0, got {slope}");
        return new(slope, maxValue, layer.Double("threshold", 0));
    }
}
