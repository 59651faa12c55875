namespace KerasPort.Specs.Normalization;

/// <summary>
/// Keras <c>SpectralNormalization</c> (keras/src/layers/normalization/spectral_normalization.py): a wrapper that, at
/// inference, calls its layer (config <c>layer</c>, read by <see cref="NestedLayerDescriptions.SpectralNormalized"/>)
/// with the stored kernel; <c>vector_u</c> only counts towards the parameters.
/// </summary>
/// <param name="PowerIterations">The power iterations per training step, 1 by default.</param>
public sealed record SpectralNormalizationSpec(int PowerIterations) : LayerSpec, ILayerSpec<SpectralNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["SpectralNormalization"];

    /// <inheritdoc />
    public static SpectralNormalizationSpec Read(LayerReader layer) => new(layer.IntAtLeast("power_iterations", 1, 1));
}
