namespace KerasPort.Specs.Regularization;

/// <summary>Keras <c>GaussianNoise</c> (keras/src/layers/regularization/gaussian_noise.py): the identity at inference.</summary>
/// <param name="Stddev">The standard deviation of the noise added in training (Keras 1's <c>sigma</c>, renamed on load), at least 0.</param>
public sealed record GaussianNoiseSpec(double Stddev) : LayerSpec, ILayerSpec<GaussianNoiseSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GaussianNoise"];

    /// <inheritdoc />
    public static GaussianNoiseSpec Read(LayerReader layer) => new(layer.DoubleAtLeast("stddev", 0, 0));
}
