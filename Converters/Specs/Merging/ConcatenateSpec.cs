namespace KerasPort.Specs.Merging;

/// <summary>Keras <c>Concatenate</c> (keras/src/layers/merging/concatenate.py); Keras 1's <c>concat_axis</c> is renamed on load.</summary>
/// <param name="Axis">The axis the inputs are joined along, -1 by default.</param>
public sealed record ConcatenateSpec(int Axis) : LayerSpec, ILayerSpec<ConcatenateSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Concatenate"];

    /// <inheritdoc />
    public static ConcatenateSpec Read(LayerReader layer) => new(layer.Int("axis", -1));
}
