using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>
/// Keras <c>ReLU</c> with <c>max_value</c>, <c>negative_slope</c> and <c>threshold</c>, and Keras 2's
/// <c>ThresholdedReLU</c>, which is the same function with <c>threshold = theta</c> (default 1): <c>x</c> above
/// the threshold, else <c>negative_slope * (x - threshold)</c>, clipped at <c>max_value</c>. The operations follow
/// <c>ReLU.static_call</c> in keras/src/activations/activations.py, which Keras 2's <c>backend.relu</c> matches.
/// </summary>
public sealed class ReLU : KerasLayer, IInPlaceActivation
{
    readonly double negativeSlope;
    readonly double? maxValue;
    readonly double threshold;

    /// <summary>Builds the layer.</summary>
    public ReLU(LayerContext context, ReLUSpec spec) : base(context) => (negativeSlope, maxValue, threshold) = (spec.NegativeSlope, spec.MaxValue, spec.Threshold);

    /// <inheritdoc />
    /// <remarks>Plain ReLU, optionally capped (<c>ReLU(6.)</c>): <c>relu_</c>, then <c>clamp_</c>, the operators of <see cref="Call"/>.</remarks>
    Func<Tensor, Tensor>? IInPlaceActivation.InPlace => negativeSlope != 0 || threshold != 0 ? null
        : maxValue is { } max ? x => x.relu_().clamp_(Of(0), Of(max)) : x => x.relu_();

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (negativeSlope != 0 && maxValue is null && threshold == 0) return [x.LeakyRelu(negativeSlope)];
        var negativePart = negativeSlope == 0 ? null : F.relu(threshold != 0 ? x.neg().Plus(threshold) : -x);
        var y = threshold != 0 ? x * (x > Of(threshold)).to_type(x.dtype) : F.relu(x);
        if (maxValue is { } max) y = y.clamp(Of(0), Of(max));
        return [negativePart is null ? y : y - negativePart * Of(negativeSlope)];
    }
}
