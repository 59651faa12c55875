using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Activation</c>: applies the named activation function.</summary>
public sealed class Activation : KerasLayer, IInPlaceActivation
{
    readonly Func<Tensor, Tensor> activation;
    readonly Func<Tensor, Tensor>? inPlace;
    readonly string? convolutionPostOp;

    /// <summary>Builds the layer.</summary>
    public Activation(LayerContext context) : base(context)
    {
        activation = context.Activation();
        inPlace = Activations.Activations.InPlace(context.ActivationName());
        convolutionPostOp = Activations.Activations.ConvolutionPostOp(context.ActivationName());
    }

    /// <inheritdoc />
    string? IInPlaceActivation.ConvolutionPostOp => convolutionPostOp;

    /// <inheritdoc />
    Func<Tensor, Tensor>? IInPlaceActivation.InPlace => inPlace;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(arguments.Input)];
}
