namespace KerasPort.Specs.Regularization;

/// <summary>Keras <c>GaussianDropout</c> (keras/src/layers/regularization/gaussian_dropout.py): the identity at inference.</summary>
/// <param name="Rate">The drop probability that sets the noise's standard deviation <c>sqrt(rate / (1 - rate))</c>, in [0, 1).</param>
public sealed record GaussianDropoutSpec(double Rate) : LayerSpec, ILayerSpec<GaussianDropoutSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GaussianDropout"];

    /// <inheritdoc />
    public static GaussianDropoutSpec Read(LayerReader layer) => new(DropoutSpec.ReadRate(layer));
}
