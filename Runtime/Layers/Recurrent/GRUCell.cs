namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>GRUCell</c>, also the cell of <c>GRU</c> and Keras 2's <c>CuDNNGRU</c>, gates z, r, h
/// (keras/src/layers/rnn/gru.py). With <c>reset_after</c> the reset gate scales <c>h @ U_h + b_rec</c>;
/// without it, it scales <c>h</c> before the product.
/// </summary>
public sealed class GRUCell : RecurrentCell
{
    readonly long units;
    readonly bool resetAfter;
    readonly Tensor kernel;
    readonly Tensor? inputBias;
    readonly Tensor recurrentKernel;
    readonly Tensor? recurrentBias;
    readonly Func<Tensor, Tensor> activation;
    readonly Func<Tensor, Tensor> recurrentActivation;

    /// <summary>Builds the cell from a GRU/GRUCell/CuDNNGRU spec and its weights.</summary>
    public GRUCell(LayerContext context, GRUCellSpec spec) : base(context)
    {
        units = spec.Units;
        activation = context.ActivationFunction(spec.Activation);
        recurrentActivation = context.ActivationFunction(spec.RecurrentActivation);
        resetAfter = spec.ResetAfter;
        var (k, r, inBias, recBias) = ReadWeights(context, spec);
        kernel = Own(k);
        recurrentKernel = Own(r);
        inputBias = inBias is null ? null : Own(inBias);
        recurrentBias = recBias is null ? null : Own(recBias);
        Fused = FusedRecurrence.ForGru(context, spec, kernel, recurrentKernel, inputBias, recurrentBias);
    }

    /// <inheritdoc />
    public override int StateCount => 1;

    /// <inheritdoc />
    public override Tensor Prepare(Tensor inputs) => Project(inputs, kernel, inputBias);

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states)
    {
        var h = states[0];
        var x = prepared.chunk(3, -1);
        Tensor z, r, hh;
        if (resetAfter)
        {
            var inner = h.MatmulChecked(recurrentKernel);
            if (recurrentBias is not null) inner = inner.Plus(recurrentBias);
            var recurrent = inner.chunk(3, -1);
            z = recurrentActivation(x[0].Plus(recurrent[0]));
            r = recurrentActivation(x[1].Plus(recurrent[1]));
            hh = activation(x[2].Plus(r * recurrent[2]));
        }
        else
        {
            var recurrent = h.MatmulChecked(recurrentKernel.narrow(1, 0, 2 * units)).chunk(2, -1);
            z = recurrentActivation(x[0].Plus(recurrent[0]));
            r = recurrentActivation(x[1].Plus(recurrent[1]));
            hh = activation(x[2].Plus((r * h).MatmulChecked(recurrentKernel.narrow(1, 2 * units, units))));
        }
        var next = (z * h).Plus(z.OneMinus() * hh);
        return (next, [next]);
    }

    /// <inheritdoc />
    public override Tensor[] ZeroStates(Tensor prepared) => [zeros([prepared.Sizes()[0], units], prepared.dtype, prepared.device)];

    /// <summary>
    /// The file's GRU weights as kernel <c>(in, 3u)</c>, recurrent kernel <c>(u, 3u)</c>, input bias and
    /// recurrent bias (gates z, r, h). reset_after stores the biases as rows of a <c>(2, 3u)</c> array, CuDNNGRU
    /// as halves of a <c>(6u)</c> one (keras 2 layers/cudnn_recurrent.py); reset_before has one <c>(3u)</c> input
    /// bias; Keras 1 stores nine per-gate arrays (<see cref="SplitGateWeights"/>).
    /// </summary>
    static (Tensor Kernel, Tensor Recurrent, Tensor? InputBias, Tensor? RecurrentBias) ReadWeights(LayerContext context, GRUCellSpec spec)
    {
        long units = spec.Units;
        if (context.Weights.Count == SplitGateWeights.Count("zrh"))
        {
            var (w, u, b) = SplitGateWeights.Read(context, units, "zrh", "zrh");
            return (w, u, b, null);
        }
        bool useBias = spec.UseBias;
        context.ExpectWeightCount(useBias ? 3 : 2);
        var kernel = context.Weight(0, "kernel", context.InputDim(-1), 3 * units);
        var recurrent = context.Weight(1, "recurrent_kernel", units, 3 * units);
        if (!useBias) return (kernel, recurrent, null, null);
        if (spec.CuDnn)
        {
            var halves = context.Weight(2, "bias", 6 * units).chunk(2);
            return (kernel, recurrent, halves[0], halves[1]);
        }
        if (!spec.ResetAfter) return (kernel, recurrent, context.Weight(2, "bias", 3 * units), null);
        var rows = context.Weight(2, "bias", 2, 3 * units);
        return (kernel, recurrent, rows[0], rows[1]);
    }
}
