namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>Keras <c>LeakyReLU</c>: torch <c>leaky_relu</c> with the spec's slope.</summary>
public sealed class LeakyReLU : KerasLayer
{
    readonly double negativeSlope;

    /// <summary>Builds the layer.</summary>
    public LeakyReLU(LayerContext context, LeakyReLUSpec spec) : base(context) => negativeSlope = spec.NegativeSlope;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input.LeakyRelu(negativeSlope)];
}
