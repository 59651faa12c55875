namespace KerasPort.Specs.Core;

/// <summary>Keras <c>Activation</c> (keras/src/layers/activations/activation.py): applies the named activation.</summary>
/// <param name="Activation">The activation's name (<c>linear</c> when absent).</param>
public sealed record ActivationSpec(string Activation) : LayerSpec, ILayerSpec<ActivationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Activation"];

    /// <inheritdoc />
    public static ActivationSpec Read(LayerReader layer) => new(layer.ActivationName());
}
