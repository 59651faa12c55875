namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Activation</c>: applies the named activation function.</summary>
public sealed class Activation : KerasLayer, IInPlaceActivation
{
    readonly Func<Tensor, Tensor> activation;
    readonly Func<Tensor, Tensor>? inPlace;
    readonly string? convolutionPostOp;

    /// <summary>Builds the layer.</summary>
    public Activation(LayerContext context, ActivationSpec spec) : base(context)
    {
        activation = context.ActivationFunction(spec.Activation);
        inPlace = Activations.Activations.InPlace(spec.Activation);
        convolutionPostOp = Activations.Activations.ConvolutionPostOp(spec.Activation);
    }

    /// <inheritdoc />
    string? IInPlaceActivation.ConvolutionPostOp => convolutionPostOp;

    /// <inheritdoc />
    Func<Tensor, Tensor>? IInPlaceActivation.InPlace => inPlace;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(arguments.Input)];
}
