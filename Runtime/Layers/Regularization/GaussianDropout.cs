namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// Keras <c>GaussianDropout</c>: the identity at inference; in training it multiplies by normal noise of mean 1 and
/// standard deviation <c>sqrt(rate / (1 - rate))</c> (keras/src/layers/regularization/gaussian_dropout.py).
/// </summary>
public sealed class GaussianDropout : KerasLayer, IInferenceIdentity
{
    readonly double rate;

    /// <summary>Builds the layer.</summary>
    public GaussianDropout(LayerContext context, GaussianDropoutSpec spec) : base(context) => rate = spec.Rate;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (!arguments.Training || rate <= 0) return [x];
        double stddev = Math.Sqrt(rate / (1.0 - rate));
        return [x * (randn_like(x) * Of(stddev)).Plus(1.0)];
    }
}
