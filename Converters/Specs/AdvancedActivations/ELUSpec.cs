namespace KerasPort.Specs.AdvancedActivations;

/// <summary>Keras <c>ELU</c> (keras/src/layers/activations/elu.py): <c>x</c> above 0, else <c>alpha * (exp(x) - 1)</c>.</summary>
/// <param name="Alpha">The scale of the negative part, 1 by default.</param>
public sealed record ELUSpec(double Alpha) : LayerSpec, ILayerSpec<ELUSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ELU"];

    /// <inheritdoc />
    public static ELUSpec Read(LayerReader layer) => new(layer.Double("alpha", 1.0));
}
