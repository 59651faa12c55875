namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>LSTMCell</c>, also the cell of <c>LSTM</c> and Keras 2's <c>CuDNNLSTM</c>:
/// <c>z = x @ kernel + bias + h @ recurrent_kernel</c>, split into gates i, f, c, o (keras/src/layers/rnn/lstm.py).
/// </summary>
public sealed class LSTMCell : RecurrentCell
{
    readonly long units;
    readonly Tensor kernel;
    readonly Tensor recurrentKernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly Func<Tensor, Tensor> recurrentActivation;

    /// <summary>Builds the cell from an LSTM/LSTMCell/CuDNNLSTM spec and its weights.</summary>
    public LSTMCell(LayerContext context, LSTMCellSpec spec) : base(context)
    {
        units = spec.Units;
        activation = context.ActivationFunction(spec.Activation);
        recurrentActivation = context.ActivationFunction(spec.RecurrentActivation);
        var (k, r, b) = ReadWeights(context, spec);
        kernel = Own(k);
        recurrentKernel = Own(r);
        bias = b is null ? null : Own(b);
        Fused = FusedRecurrence.ForLstm(context, spec, kernel, recurrentKernel, bias);
    }

    /// <inheritdoc />
    public override int StateCount => 2;

    /// <inheritdoc />
    public override Tensor Prepare(Tensor inputs) => Project(inputs, kernel, bias);

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states)
    {
        var (h, c) = Gates(prepared.Plus(states[0].MatmulChecked(recurrentKernel)), states[1], -1, activation, recurrentActivation);
        return (h, [h, c]);
    }

    /// <inheritdoc />
    public override Tensor[] ZeroStates(Tensor prepared)
    {
        var zero = zeros([prepared.Sizes()[0], units], prepared.dtype, prepared.device);
        return [zero, zero];
    }

    /// <summary>
    /// The LSTM update from gate pre-activations <paramref name="z"/> (i, f, c, o stacked along
    /// <paramref name="axis"/>) and the previous carry: <c>c' = σ(f)·c + σ(i)·act(c̃)</c>, <c>h' = σ(o)·act(c')</c>.
    /// </summary>
    internal static (Tensor H, Tensor C) Gates(Tensor z, Tensor carry, long axis, Func<Tensor, Tensor> activation, Func<Tensor, Tensor> recurrentActivation)
    {
        var gates = z.chunk(4, axis);
        var c = (recurrentActivation(gates[1]) * carry).Plus(recurrentActivation(gates[0]) * activation(gates[2]));
        return (recurrentActivation(gates[3]) * activation(c), c);
    }

    /// <summary>
    /// The file's LSTM weights in Keras 2/3 layout: kernel <c>(in, 4u)</c>, recurrent kernel <c>(u, 4u)</c>,
    /// bias <c>(4u)</c>, gates i, f, c, o. Keras 1 (consume_less cpu/mem) stores twelve arrays, W, U, b per gate in
    /// the order i, c, f, o (<see cref="SplitGateWeights"/>);
    /// CuDNNLSTM stores an <c>(8u)</c> bias, input then recurrent, which add up (keras 2 layers/cudnn_recurrent.py).
    /// </summary>
    static (Tensor Kernel, Tensor Recurrent, Tensor? Bias) ReadWeights(LayerContext context, LSTMCellSpec spec)
    {
        long units = spec.Units;
        if (context.Weights.Count == SplitGateWeights.Count("icfo")) return SplitGateWeights.Read(context, units, "icfo", "ifco");
        bool useBias = spec.UseBias;
        context.ExpectWeightCount(useBias ? 3 : 2);
        var kernel = context.Weight(0, "kernel", context.InputDim(-1), 4 * units);
        var recurrent = context.Weight(1, "recurrent_kernel", units, 4 * units);
        if (!useBias) return (kernel, recurrent, null);
        if (!spec.CuDnn) return (kernel, recurrent, context.Weight(2, "bias", 4 * units));
        var cudnnBias = context.Weight(2, "bias", 8 * units);
        return (kernel, recurrent, cudnnBias.narrow(0, 0, 4 * units).Plus(cudnnBias.narrow(0, 4 * units, 4 * units)));
    }
}
