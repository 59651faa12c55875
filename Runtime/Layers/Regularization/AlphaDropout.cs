namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// Keras <c>AlphaDropout</c>: the identity at inference; in training, dropped elements are set to SELU's negative
/// saturation value and the result is rescaled to keep the mean and variance (keras/src/layers/regularization/alpha_dropout.py):
/// <c>a * (x * keep + alpha_p * (1 - keep)) + b</c> with <c>alpha_p = -alpha * scale</c>,
/// <c>a = ((1 - rate) * (1 + rate * alpha_p^2))^-0.5</c>, <c>b = -a * alpha_p * rate</c>.
/// </summary>
public sealed class AlphaDropout : KerasLayer, IInferenceIdentity
{
    const double Alpha = 1.6732632423543772848170429916717;
    const double Scale = 1.0507009873554804934193349852946;

    readonly double rate;
    readonly int[]? noiseShape;

    /// <summary>Builds the layer.</summary>
    public AlphaDropout(LayerContext context, AlphaDropoutSpec spec) : base(context) => (rate, noiseShape) = (spec.Rate, spec.NoiseShape);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (!arguments.Training || rate <= 0) return [x];
        double alphaP = -Alpha * Scale;
        double a = Math.Pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
        double b = -a * alphaP * rate;
        var kept = RandomMasks.Keep(RandomMasks.Resolve(noiseShape, x) ?? x.Sizes(), 1.0 - rate, x);
        return [((x * kept).Plus(kept.OneMinus() * Of(alphaP)) * Of(a)).Plus(b)];
    }
}
