namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// Keras <c>GaussianNoise</c>: the identity at inference; in training it adds zero-mean normal noise of standard
/// deviation <c>stddev</c> (keras/src/layers/regularization/gaussian_noise.py).
/// </summary>
public sealed class GaussianNoise : KerasLayer, IInferenceIdentity
{
    readonly double stddev;

    /// <summary>Builds the layer.</summary>
    public GaussianNoise(LayerContext context, GaussianNoiseSpec spec) : base(context) => stddev = spec.Stddev;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        return !arguments.Training || stddev <= 0 ? [x] : [x.Plus(randn_like(x) * Of(stddev))];
    }
}
