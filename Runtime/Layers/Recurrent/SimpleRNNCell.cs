namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>SimpleRNNCell</c>, also the cell of <c>SimpleRNN</c>:
/// <c>h' = activation(x @ kernel + bias + h @ recurrent_kernel)</c> (keras/src/layers/rnn/simple_rnn.py).
/// </summary>
public sealed class SimpleRNNCell : RecurrentCell
{
    readonly long units;
    readonly Tensor kernel;
    readonly Tensor recurrentKernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the cell from a SimpleRNN/SimpleRNNCell spec and its weights (W, U, b in every generation).</summary>
    public SimpleRNNCell(LayerContext context, SimpleRNNCellSpec spec) : base(context)
    {
        units = spec.Units;
        activation = context.ActivationFunction(spec.Activation);
        bool useBias = spec.UseBias;
        context.ExpectWeightCount(useBias ? 3 : 2);
        kernel = Own(context.Weight(0, "kernel", context.InputDim(-1), units));
        recurrentKernel = Own(context.Weight(1, "recurrent_kernel", units, units));
        bias = useBias ? Own(context.Weight(2, "bias", units)) : null;
    }

    /// <inheritdoc />
    public override int StateCount => 1;

    /// <inheritdoc />
    public override Tensor Prepare(Tensor inputs) => Project(inputs, kernel, bias);

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states)
    {
        var output = activation(prepared.Plus(states[0].MatmulChecked(recurrentKernel)));
        return (output, [output]);
    }

    /// <inheritdoc />
    public override Tensor[] ZeroStates(Tensor prepared) => [zeros([prepared.Sizes()[0], units], prepared.dtype, prepared.device)];
}
