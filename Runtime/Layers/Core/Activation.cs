using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Activation</c>: applies the named activation function.</summary>
public sealed class Activation : KerasLayer
{
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the layer.</summary>
    public Activation(LayerContext context) : base(context) => activation = context.Activation();

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(arguments.Input)];
}
