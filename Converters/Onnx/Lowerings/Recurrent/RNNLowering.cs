namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// LSTM, GRU, SimpleRNN (and the cuDNN layers) and RNN over one or more cells as ONNX nodes (reference semantics:
/// Runtime/Layers/Recurrent/RecurrentLayer.cs, RecurrentRunner.cs). Without a time-step mask, and with activations
/// ONNX's recurrent operators have exactly, a cell runs as one ONNX LSTM, GRU or RNN node: Keras's LSTM gates i, f, c, o
/// are reordered to ONNX's i, o, f, c; GRU keeps z, r, h with <c>linear_before_reset = reset_after</c>; kernels are
/// transposed to ONNX's <c>(G·u, in)</c>. With a mask (or other activations) the steps are unrolled over the (fixed)
/// sequence length with Keras's mask semantics: a masked step keeps every state and repeats the previous output (zeros
/// with <c>zero_output_for_mask</c>).
/// </summary>
internal static class RNNLowering
{
    /// <summary>RNN: the layer over the cells of its <c>cell</c> config.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, RNNSpec s) =>
        Layer(c, s.Options, RecurrentCalls.Cells(c, s.Cell, NestedLayerDescriptions.Child(c.Weights, "cell")));

    /// <summary>A recurrent layer over the cell its own config describes (LSTM, GRU, SimpleRNN and the cuDNN layers).</summary>
    public static OnnxLowered OwnCell(OnnxLayerCall c, RecurrentOptions options) =>
        Layer(c, options, [c.Inner(c.Description with { Weights = NestedLayerDescriptions.Child(c.Weights, "cell") }, c.Args, c.Kwargs, c.Mask)]);

    /// <summary>An RNN layer over <paramref name="cells"/> (several cells are stacked: each runs over the previous one's output sequence).</summary>
    static OnnxLowered Layer(OnnxLayerCall c, RecurrentOptions options, IReadOnlyList<OnnxLayerCall> cells)
    {
        var g = c.Graph;
        bool returnSequences = options.ReturnSequences, returnState = options.ReturnState;
        bool timeMajor = options.TimeMajor;
        var sequences = timeMajor ? g.Transpose(c.Inputs[0], [1, 0, .. Enumerable.Range(2, c.Inputs[0].Rank - 2).Select(i => (long)i)]) : c.Inputs[0];
        var (output, states) = Run(c, cells, sequences, RecurrentCalls.InitialStates(c), RecurrentCalls.SequenceMask(c), options.GoBackwards, returnSequences, options.ZeroOutputForMask);
        if (timeMajor && returnSequences) output = g.Transpose(output, [1, 0, .. Enumerable.Range(2, output.Rank - 2).Select(i => (long)i)]);
        return new OnnxLowered(returnState ? [output, .. states] : [output], returnSequences ? RecurrentCalls.SequenceMask(c) : null);
    }

    /// <summary>
    /// Runs stacked <paramref name="cells"/> over <paramref name="sequences"/> (<c>batch, time, features</c>); returns the
    /// output (every step's, or the last) and every cell's final states in cell order. Stacked cells step together in
    /// Keras; running them one after the other over whole sequences gives the same values, masked steps included.
    /// </summary>
    static (OnnxValue Output, List<OnnxValue> States) Run(OnnxLayerCall c, IReadOnlyList<OnnxLayerCall> cells, OnnxValue sequences,
        IReadOnlyList<OnnxValue> initialStates, OnnxValue? mask, bool goBackwards, bool returnSequences, bool zeroOutputForMask)
    {
        var g = c.Graph;
        if (sequences.Rank != 3) throw c.Unsupported($"recurrent input of rank {sequences.Rank} (only (batch, time, features))");
        if (goBackwards)
        {
            sequences = RecurrentCalls.Flip(c, sequences);
            if (mask is not null) mask = RecurrentCalls.Flip(c, mask);
        }
        var states = new List<OnnxValue>();
        OnnxValue x = sequences;
        int used = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var spec = RecurrentCellWeights.Read(cells[i], x.Dim(-1));
            var initial = initialStates.Count > 0 ? initialStates.Skip(used).Take(spec.StateCount).ToList() : [];
            if (initialStates.Count > 0 && initial.Count != spec.StateCount)
                throw new KerasPortException($"'{c.Name}' carries {spec.StateCount} states, {initial.Count} initial states were given");
            used += spec.StateCount;
            bool last = i == cells.Count - 1;
            var (y, cellStates) = mask is null && Fusable(spec) is { } activations
                ? Fused(spec, activations, x, initial, returnSequences || !last)
                : Unrolled(spec, x, initial, mask, returnSequences || !last, zeroOutputForMask && last);
            states.AddRange(cellStates);
            x = y;
        }
        return (x, states);
    }

    /// <summary>ONNX's recurrent activations for the cell (f, g, h for LSTM; f, g for GRU; f for RNN), or null when one has no exact equivalent.</summary>
    static (string Name, float? Alpha, float? Beta)[]? Fusable(RecurrentCellWeights spec)
    {
        var gate = OnnxActivations.Recurrent(spec.RecurrentActivation, spec.Call.KerasMajor);
        var output = OnnxActivations.Recurrent(spec.Activation, spec.Call.KerasMajor);
        if (gate is null || output is null) return null;
        return spec.Kind switch
        {
            CellKind.Lstm => [gate.Value, output.Value, output.Value],
            CellKind.Gru => [gate.Value, output.Value],
            _ => [output.Value],
        };
    }

    /// <summary>Keras gate blocks in ONNX's order: LSTM i, f, c, o becomes i, o, f, c; GRU and RNN keep theirs.</summary>
    static int[] OnnxGateOrder(CellKind kind) => kind switch
    {
        CellKind.Lstm => [0, 3, 1, 2],
        CellKind.Gru => [0, 1, 2],
        _ => [0],
    };

    /// <summary>One ONNX LSTM/GRU/RNN node over the whole sequence.</summary>
    static (OnnxValue Output, List<OnnxValue> States) Fused(RecurrentCellWeights spec, (string Name, float? Alpha, float? Beta)[] activations,
        OnnxValue sequences, IReadOnlyList<OnnxValue> initial, bool returnSequences)
    {
        var c = spec.Call;
        var g = c.Graph;
        long u = spec.Units, gu = spec.Gates * u;
        var order = OnnxGateOrder(spec.Kind);
        var w = HostArrays.Transpose2D(HostArrays.ReorderGates(spec.Kernel, u, order), spec.InputSize, gu);
        var r = HostArrays.Transpose2D(HostArrays.ReorderGates(spec.Recurrent, u, order), u, gu);
        var bias = new float[2 * gu];
        if (spec.InputBias is { } ib) HostArrays.ReorderGates(ib, u, order).CopyTo(bias, 0);
        if (spec.RecurrentBias is { } rb) HostArrays.ReorderGates(rb, u, order).CopyTo(bias, gu);
        var x = g.Transpose(sequences, 1, 0, 2);
        long time = x.Dim(0), batch = x.Dim(1);
        OnnxValue? InitialState(int i) => initial.Count > i ? g.Unsqueeze(initial[i], 0) : null;
        var op = spec.Kind switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" };
        var attributes = new List<Proto.AttributeProto>
        {
            Attr.Int("hidden_size", u),
            Attr.Strings("activations", activations.Select(a => a.Name)),
        };
        var alphas = activations.Where(a => a.Alpha is not null).Select(a => (double)a.Alpha!.Value).ToArray();
        var betas = activations.Where(a => a.Beta is not null).Select(a => (double)a.Beta!.Value).ToArray();
        if (alphas.Length > 0) attributes.Add(Attr.Floats("activation_alpha", alphas));
        if (betas.Length > 0) attributes.Add(Attr.Floats("activation_beta", betas));
        if (spec.Kind == CellKind.Gru) attributes.Add(Attr.Int("linear_before_reset", spec.ResetAfter ? 1 : 0));
        List<OnnxValue?> inputs =
        [
            x, c.Derived("W", w, 1, gu, spec.InputSize), c.Derived("R", r, 1, gu, u), c.Derived("B", bias, 1, 2 * gu), null,
            InitialState(0),
        ];
        if (spec.Kind == CellKind.Lstm) inputs.Add(InitialState(1));
        var outputs = new List<(OnnxType, long[])> { (OnnxType.Float, [time, 1, batch, u]), (OnnxType.Float, [1, batch, u]) };
        if (spec.Kind == CellKind.Lstm) outputs.Add((OnnxType.Float, [1, batch, u]));
        var results = g.Node(op, inputs, outputs, [.. attributes]);
        var h = g.Squeeze(results[1], 0);
        var states = spec.Kind == CellKind.Lstm ? new List<OnnxValue> { h, g.Squeeze(results[2], 0) } : [h];
        var output = returnSequences ? g.Transpose(g.Squeeze(results[0], 1), 1, 0, 2) : h;
        return (output, states);
    }

    /// <summary>The cell stepped over every time step (the sequence length must be fixed), with Keras's mask semantics.</summary>
    static (OnnxValue Output, List<OnnxValue> States) Unrolled(RecurrentCellWeights spec, OnnxValue sequences, IReadOnlyList<OnnxValue> initial,
        OnnxValue? mask, bool returnSequences, bool zeroOutputForMask)
    {
        var c = spec.Call;
        var g = c.Graph;
        long steps = sequences.Dim(1), u = spec.Units, gu = spec.Gates * u;
        if (steps < 1) throw c.Unsupported("a masked recurrent layer (or one with activations ONNX's recurrent operators lack) needs a fixed sequence length");
        var projected = g.MatMul(sequences, c.Derived("kernel", spec.Kernel, spec.InputSize, gu));
        if (spec.InputBias is { } ib) projected = g.Add(projected, c.Derived("bias", ib, gu));
        var recurrent = c.Derived("recurrent_kernel", spec.Recurrent, u, gu);
        var recurrentBias = spec.RecurrentBias is { } rb ? c.Derived("recurrent_bias", rb, gu) : null;
        var zero = g.Expand(g.Scalar(0), g.Concat([g.Slice(g.ShapeOf(sequences), 0, 0, 1), g.Longs(u)], 0), [sequences.Dim(0), u]);
        var states = initial.Count > 0 ? initial.ToList() : Enumerable.Repeat(zero, spec.StateCount).ToList();
        OnnxValue Act(string name, OnnxValue v) => OnnxActivations.Apply(c, name, v);
        var outputs = new List<OnnxValue>();
        OnnxValue? previous = null;
        for (long t = 0; t < steps; t++)
        {
            var x = g.Squeeze(g.Slice(projected, 1, t, t + 1), 1);
            OnnxValue output;
            List<OnnxValue> next;
            switch (spec.Kind)
            {
                case CellKind.Lstm:
                    {
                        var z = g.SplitEqual(g.Add(x, g.MatMul(states[0], recurrent)), -1, 4);
                        var cell = g.Add(g.Mul(Act(spec.RecurrentActivation, z[1]), states[1]), g.Mul(Act(spec.RecurrentActivation, z[0]), Act(spec.Activation, z[2])));
                        output = g.Mul(Act(spec.RecurrentActivation, z[3]), Act(spec.Activation, cell));
                        next = [output, cell];
                        break;
                    }
                case CellKind.Gru:
                    {
                        var h = states[0];
                        var xs = g.SplitEqual(x, -1, 3);
                        OnnxValue zGate, rGate, candidate;
                        if (spec.ResetAfter)
                        {
                            var inner = g.MatMul(h, recurrent);
                            if (recurrentBias is not null) inner = g.Add(inner, recurrentBias);
                            var rs = g.SplitEqual(inner, -1, 3);
                            zGate = Act(spec.RecurrentActivation, g.Add(xs[0], rs[0]));
                            rGate = Act(spec.RecurrentActivation, g.Add(xs[1], rs[1]));
                            candidate = Act(spec.Activation, g.Add(xs[2], g.Mul(rGate, rs[2])));
                        }
                        else
                        {
                            var parts = g.Split(recurrent, 1, 2 * u, u);
                            var rs = g.SplitEqual(g.MatMul(h, parts[0]), -1, 2);
                            zGate = Act(spec.RecurrentActivation, g.Add(xs[0], rs[0]));
                            rGate = Act(spec.RecurrentActivation, g.Add(xs[1], rs[1]));
                            candidate = Act(spec.Activation, g.Add(xs[2], g.MatMul(g.Mul(rGate, h), parts[1])));
                        }
                        output = g.Add(g.Mul(zGate, h), g.Mul(g.Sub(g.Scalar(1), zGate), candidate));
                        next = [output];
                        break;
                    }
                default:
                    output = Act(spec.Activation, g.Add(x, g.MatMul(states[0], recurrent)));
                    next = [output];
                    break;
            }
            if (mask is not null)
            {
                var keep = g.Unsqueeze(g.Cast(g.Squeeze(g.Slice(mask, 1, t, t + 1), 1), OnnxType.Bool), 1);
                output = g.Where(keep, output, zeroOutputForMask || previous is null ? zero : previous);
                next = next.Select((s, i) => g.Where(keep, s, states[i])).ToList();
            }
            previous = output;
            states = next;
            if (returnSequences) outputs.Add(g.Unsqueeze(output, 1));
        }
        return (returnSequences ? g.Concat(outputs, 1) : previous!, states);
    }
}
