namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's recurrent layers and wrappers as ONNX nodes (reference semantics: Runtime/Layers/Recurrent). Without a
/// time-step mask, and with activations ONNX's recurrent operators have exactly, a cell runs as one ONNX LSTM, GRU or
/// RNN node: Keras's LSTM gates i, f, c, o are reordered to ONNX's i, o, f, c; GRU keeps z, r, h with
/// <c>linear_before_reset = reset_after</c>; kernels are transposed to ONNX's <c>(G·u, in)</c>. With a mask (or other
/// activations) the steps are unrolled over the (fixed) sequence length with Keras's mask semantics: a masked step
/// keeps every state and repeats the previous output (zeros with <c>zero_output_for_mask</c>).
/// </summary>
internal static class RecurrentLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<LSTMSpec>(table, (c, s) => OwnCell(c, s.Options));
        OnnxLowerings.Add<GRUSpec>(table, (c, s) => OwnCell(c, s.Options));
        OnnxLowerings.Add<SimpleRNNSpec>(table, (c, s) => OwnCell(c, s.Options));
        OnnxLowerings.Add<RNNSpec>(table, (c, s) => Layer(c, s.Options, RecurrentCellSpec.Cells(c, s.Cell, NestedLayerDescriptions.Child(c.Weights, "cell"))));
        OnnxLowerings.Add<BidirectionalSpec>(table, Bidirectional);
        OnnxLowerings.Add<TimeDistributedSpec>(table, TimeDistributed);
        OnnxLowerings.Add<ConvLSTMSpec>(table, ConvLstm);
    }

    /// <summary>A recurrent layer over the cell its own config describes (LSTM, GRU, SimpleRNN and the cuDNN layers).</summary>
    static OnnxLowered OwnCell(OnnxLayerCall c, RecurrentOptions options) =>
        Layer(c, options, [c.Inner(c.Description with { Weights = NestedLayerDescriptions.Child(c.Weights, "cell") }, c.Args, c.Kwargs, c.Mask)]);

    /// <summary>An RNN layer over <paramref name="cells"/> (several cells are stacked: each runs over the previous one's output sequence).</summary>
    static OnnxLowered Layer(OnnxLayerCall c, RecurrentOptions options, IReadOnlyList<OnnxLayerCall> cells)
    {
        var g = c.Graph;
        bool returnSequences = options.ReturnSequences, returnState = options.ReturnState;
        bool timeMajor = options.TimeMajor;
        var sequences = timeMajor ? g.Transpose(c.Inputs[0], [1, 0, .. Enumerable.Range(2, c.Inputs[0].Rank - 2).Select(i => (long)i)]) : c.Inputs[0];
        var (output, states) = Run(c, cells, sequences, InitialStates(c), SequenceMask(c), options.GoBackwards, returnSequences, options.ZeroOutputForMask);
        if (timeMajor && returnSequences) output = g.Transpose(output, [1, 0, .. Enumerable.Range(2, output.Rank - 2).Select(i => (long)i)]);
        return new OnnxLowered(returnState ? [output, .. states] : [output], returnSequences ? SequenceMask(c) : null);
    }

    /// <summary>The time-step mask: the call's, or (Keras 1/2, states passed with the inputs) the first input's.</summary>
    static OnnxValue? SequenceMask(OnnxLayerCall c) => c.Mask ?? (c.Inputs.Count > 0 ? c.MaskOf(c.Inputs[0]) : null);

    /// <summary>The <c>initial_state</c> keyword's tensors and any tensors after the sequence among the positional inputs.</summary>
    static List<OnnxValue> InitialStates(OnnxLayerCall c)
    {
        static IEnumerable<OnnxValue> Tensors(object? value) => value switch
        {
            OnnxValue v => [v],
            IReadOnlyList<object?> list => list.SelectMany(Tensors),
            _ => [],
        };
        return c.Inputs.Skip(1).Concat(Tensors(c.Kwargs.GetValueOrDefault("initial_state"))).ToList();
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
            sequences = Flip(c, sequences);
            if (mask is not null) mask = Flip(c, mask);
        }
        var states = new List<OnnxValue>();
        OnnxValue x = sequences;
        int used = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var spec = RecurrentCellSpec.Read(cells[i], x.Dim(-1));
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

    /// <summary>Reverses the time axis (axis 1), whose length must be fixed.</summary>
    static OnnxValue Flip(OnnxLayerCall c, OnnxValue x)
    {
        if (x.Dim(1) < 0) throw c.Unsupported("go_backwards needs a fixed sequence length");
        return c.Graph.Reverse(x, 1);
    }

    /// <summary>ONNX's recurrent activations for the cell (f, g, h for LSTM; f, g for GRU; f for RNN), or null when one has no exact equivalent.</summary>
    static (string Name, float? Alpha, float? Beta)[]? Fusable(RecurrentCellSpec spec)
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
    static (OnnxValue Output, List<OnnxValue> States) Fused(RecurrentCellSpec spec, (string Name, float? Alpha, float? Beta)[] activations,
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
    static (OnnxValue Output, List<OnnxValue> States) Unrolled(RecurrentCellSpec spec, OnnxValue sequences, IReadOnlyList<OnnxValue> initial,
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

    /// <summary>
    /// Bidirectional: the wrapped layer forward and a go_backwards copy (or the config's backward_layer), the backward
    /// output sequence flipped back, merged (concat, sum, mul, ave, or none: two outputs), then the forward states and
    /// the backward ones, each with its share of the weights (<see cref="NestedLayerDescriptions.BidirectionalWeights"/>).
    /// </summary>
    static OnnxLowered Bidirectional(OnnxLayerCall c, BidirectionalSpec s)
    {
        var g = c.Graph;
        var mergeMode = s.MergeMode;
        var layer = s.Layer;
        bool returnSequences = s.ReturnSequences;
        var (forwardWeights, backwardWeights) = NestedLayerDescriptions.BidirectionalWeights(c);
        // Keras 2 and 3 force zero_output_for_mask = return_sequences on both layers; Keras 1 had no such flag.
        void ZeroOutput(JsonObject config)
        {
            if (c.KerasMajor >= 2) config["zero_output_for_mask"] = returnSequences;
        }
        var states = InitialStates(c);
        int half = states.Count / 2;
        var mask = SequenceMask(c);
        OnnxValue[] RunInner(OnnxLayerCall inner, IEnumerable<OnnxValue> initial)
        {
            var kwargs = new Dictionary<string, object?>();
            var list = initial.Cast<object?>().ToList();
            if (list.Count > 0) kwargs["initial_state"] = list;
            var call = c.Inner(inner.Description, [c.Inputs[0]], kwargs, mask);
            return [.. OnnxModelWriter.Lowering(call)(call).Outputs];
        }
        var forward = RecurrentCellSpec.InnerCall(c, layer, "forward_layer", forwardWeights, ZeroOutput);
        var backward = s.BackwardLayer is { } explicitBackward
            ? RecurrentCellSpec.InnerCall(c, explicitBackward, "backward_layer", backwardWeights, ZeroOutput)
            : RecurrentCellSpec.InnerCall(c, layer, "backward_layer", backwardWeights, config =>
            {
                config["go_backwards"] = !((bool?)config["go_backwards"] ?? false);
                config["name"] = "backward_" + ((string?)config["name"] ?? c.Name);
                ZeroOutput(config);
            });
        var y = RunInner(forward, states.Take(half));
        var yRev = RunInner(backward, states.Skip(half));
        var backwardOutput = returnSequences ? Flip(c, yRev[0]) : yRev[0];
        OnnxValue[] merged = mergeMode switch
        {
            "concat" => [g.Concat([y[0], backwardOutput], -1)],
            "sum" => [g.Add(y[0], backwardOutput)],
            "ave" => [g.Scale(g.Add(y[0], backwardOutput), 0.5)],
            "mul" => [g.Mul(y[0], backwardOutput)],
            _ => [y[0], backwardOutput],
        };
        return new OnnxLowered([.. merged, .. y.Skip(1), .. yRev.Skip(1)], returnSequences ? mask : null);
    }

    /// <summary>
    /// TimeDistributed: the time axis folded into the batch axis, the wrapped layer called once, its outputs unfolded
    /// (inference layers do not mix batch entries, so this equals Keras's per-step calls).
    /// </summary>
    static OnnxLowered TimeDistributed(OnnxLayerCall c, TimeDistributedSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        if (x.Shape[2..].Any(d => d < 0)) throw c.Unsupported("TimeDistributed needs fixed sizes after the time axis");
        var folded = g.Reshape(x, [-1, .. x.Shape[2..]]);
        var mask = c.Mask is { } m && m.Rank >= 2 ? g.Reshape(m, [-1, .. m.Shape[2..]]) : null;
        var inner = RecurrentCellSpec.InnerCall(c, s.Layer, "layer", NestedLayerDescriptions.Child(c.Weights, "layer"));
        var call = c.Inner(inner.Description, [folded], new Dictionary<string, object?>(), mask);
        var outputs = OnnxModelWriter.Lowering(call)(call).Outputs;
        var leading = g.Slice(g.ShapeOf(x), 0, 0, 2);
        return c.Pass(outputs.Select(o =>
        {
            if (o.Shape[1..].Any(d => d < 0)) throw c.Unsupported("TimeDistributed needs the wrapped layer's output sizes to be fixed");
            return g.Node("Reshape", [o, g.Concat([leading, g.Longs(o.Shape[1..])], 0)], o.Type, [x.Dim(0), x.Dim(1), .. o.Shape[1..]]);
        }).ToArray());
    }

    /// <summary>
    /// ConvLSTM1D/2D/3D (keras/src/layers/rnn/conv_lstm.py, the runtime's ConvLSTMCell): an LSTM whose input product is
    /// a convolution with the layer's strides, dilation and padding (all steps at once) and whose recurrent product is
    /// a stride-1 'same' convolution, unrolled over the fixed sequence length in channels-first layout; gates i, f, c, o.
    /// </summary>
    static OnnxLowered ConvLstm(OnnxLayerCall c, ConvLSTMSpec s)
    {
        var g = c.Graph;
        c.RefuseMask("ConvLSTM");
        var cell = c.Inner(c.Description with { Weights = NestedLayerDescriptions.Child(c.Weights, "cell") }, c.Args, c.Kwargs, null);
        var window = s.Cell.Window;
        int rank = window.Rank;
        bool channelsFirst = window.ChannelsFirst, returnSequences = s.Options.ReturnSequences;
        long filters = s.Cell.Filters;
        var kernelSize = window.Size;
        var ones = ConvWindow.Ones(rank);
        // The input convolution runs on channels-first data, hence the window's geometry with channels first.
        var geometry = ConvolutionLowerings.Geometry.Of(window with { ChannelsFirst = true });
        var recurrentGeometry = new ConvolutionLowerings.Geometry(rank, kernelSize, ones, ones, PaddingMode.Same, true);
        var (activation, recurrentActivation) = (s.Cell.Activation, s.Cell.RecurrentActivation);
        bool useBias = s.Cell.UseBias;
        cell.ExpectWeightCount(useBias ? 3 : 2);
        var sequences = c.Inputs[0];
        if (s.Options.GoBackwards) sequences = Flip(c, sequences);
        long steps = sequences.Dim(1);
        if (steps < 1 || sequences.Shape[2..].Any(d => d < 0)) throw c.Unsupported("ConvLSTM needs a fixed sequence length and step shape");
        long inputChannels = sequences.Dim(channelsFirst ? 2 : -1);
        var kernel = ConvolutionLowerings.Kernel(cell, 0, "kernel", [.. kernelSize, inputChannels, 4 * filters]);
        var recurrentKernel = ConvolutionLowerings.Kernel(cell, 1, "recurrent_kernel", [.. kernelSize, filters, 4 * filters]);
        var bias = useBias ? cell.Weight(2, "bias", 4 * filters) : null;
        var folded = ConvolutionLowerings.ToChannelsFirst(g, g.Reshape(sequences, [-1, .. sequences.Shape[2..]]), channelsFirst);
        var projected = geometry.Convolve(g, folded, kernel, bias, 1);
        var stepShape = projected.Shape[1..];
        var leading = g.Slice(g.ShapeOf(sequences), 0, 0, 2);
        projected = g.Node("Reshape", [projected, g.Concat([leading, g.Longs(stepShape)], 0)], projected.Type, [sequences.Dim(0), steps, .. stepShape]);
        long[] stateShape = [filters, .. stepShape[1..]];
        var zero = g.Expand(g.Scalar(0), g.Concat([g.Slice(g.ShapeOf(sequences), 0, 0, 1), g.Longs(stateShape)], 0), [sequences.Dim(0), .. stateShape]);
        var initial = InitialStates(c);
        var states = initial.Count == 2 ? initial.Select(s => ConvolutionLowerings.ToChannelsFirst(g, s, channelsFirst)).ToList() : [zero, zero];
        OnnxValue Act(string name, OnnxValue v) => OnnxActivations.Apply(c, name, v);
        var outputs = new List<OnnxValue>();
        for (long t = 0; t < steps; t++)
        {
            var x = g.Squeeze(g.Slice(projected, 1, t, t + 1), 1);
            var z = g.SplitEqual(g.Add(x, recurrentGeometry.Convolve(g, states[0], recurrentKernel, null, 1)), 1, 4);
            var carry = g.Add(g.Mul(Act(recurrentActivation, z[1]), states[1]), g.Mul(Act(recurrentActivation, z[0]), Act(activation, z[2])));
            var h = g.Mul(Act(recurrentActivation, z[3]), Act(activation, carry));
            states = [h, carry];
            if (returnSequences) outputs.Add(g.Unsqueeze(ConvolutionLowerings.FromChannelsFirst(g, h, channelsFirst), 1));
        }
        var output = returnSequences ? g.Concat(outputs, 1) : ConvolutionLowerings.FromChannelsFirst(g, states[0], channelsFirst);
        var keras = states.Select(s => ConvolutionLowerings.FromChannelsFirst(g, s, channelsFirst)).ToArray();
        return OnnxLayerCall.Drop(s.Options.ReturnState ? [output, .. keras] : [output]);
    }
}
