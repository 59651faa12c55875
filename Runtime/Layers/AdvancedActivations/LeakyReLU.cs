using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>
/// Keras <c>LeakyReLU</c>: torch <c>leaky_relu</c> with the slope from <c>negative_slope</c> (Keras 3) or
/// <c>alpha</c> (Keras 1 and 2); both default to 0.3 for the layer, unlike the activation function's 0.2.
/// </summary>
public sealed class LeakyReLU : KerasLayer
{
    readonly double negativeSlope;

    /// <summary>Builds the layer.</summary>
    public LeakyReLU(LayerContext context) : base(context) =>
        negativeSlope = context.Double("negative_slope", context.Double("alpha", 0.3));

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input.LeakyRelu(negativeSlope)];
}
