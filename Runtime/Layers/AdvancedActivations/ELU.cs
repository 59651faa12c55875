namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>Keras <c>ELU</c>: <c>x</c> for <c>x &gt; 0</c>, else <c>alpha * (exp(x) - 1)</c> (torch <c>elu</c>), <c>alpha</c> default 1.</summary>
public sealed class ELU : KerasLayer
{
    readonly double alpha;

    /// <summary>Builds the layer.</summary>
    public ELU(LayerContext context, ELUSpec spec) : base(context) => alpha = spec.Alpha;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input.Elu(alpha)];
}
