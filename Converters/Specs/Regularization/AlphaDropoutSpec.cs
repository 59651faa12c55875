namespace KerasPort.Specs.Regularization;

/// <summary>Keras <c>AlphaDropout</c> (keras/src/layers/regularization/alpha_dropout.py): the identity at inference.</summary>
/// <param name="Rate">The fraction dropped in training, in [0, 1).</param>
/// <param name="NoiseShape">The shape of the keep mask (-1: the input's size), or null for the input's shape.</param>
public sealed record AlphaDropoutSpec(double Rate, int[]? NoiseShape) : LayerSpec, ILayerSpec<AlphaDropoutSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["AlphaDropout"];

    /// <inheritdoc />
    public static AlphaDropoutSpec Read(LayerReader layer) => new(DropoutSpec.ReadRate(layer), layer.Ints("noise_shape"));
}
