namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>ConvLSTM1D/2D/3D as ONNX convolutions unrolled over the time steps (reference semantics: Runtime/Layers/Recurrent/ConvLSTM.cs).</summary>
internal static class ConvLSTMLowering
{
    /// <summary>
    /// ConvLSTM1D/2D/3D (keras/src/layers/rnn/conv_lstm.py, the runtime's ConvLSTMCell): an LSTM whose input product is
    /// a convolution with the layer's strides, dilation and padding (all steps at once) and whose recurrent product is
    /// a stride-1 'same' convolution, unrolled over the fixed sequence length in channels-first layout; gates i, f, c, o.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ConvLSTMSpec s)
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
        var geometry = ConvolutionGeometry.Of(window with { ChannelsFirst = true });
        var recurrentGeometry = new ConvolutionGeometry(rank, kernelSize, ones, ones, PaddingMode.Same, true);
        var (activation, recurrentActivation) = (s.Cell.Activation, s.Cell.RecurrentActivation);
        bool useBias = s.Cell.UseBias;
        cell.ExpectWeightCount(useBias ? 3 : 2);
        var sequences = c.Inputs[0];
        if (s.Options.GoBackwards) sequences = RecurrentCalls.Flip(c, sequences);
        long steps = sequences.Dim(1);
        if (steps < 1 || sequences.Shape[2..].Any(d => d < 0)) throw c.Unsupported("ConvLSTM needs a fixed sequence length and step shape");
        long inputChannels = sequences.Dim(channelsFirst ? 2 : -1);
        var kernel = ConvolutionLayout.Kernel(cell, 0, "kernel", [.. kernelSize, inputChannels, 4 * filters]);
        var recurrentKernel = ConvolutionLayout.Kernel(cell, 1, "recurrent_kernel", [.. kernelSize, filters, 4 * filters]);
        var bias = useBias ? cell.Weight(2, "bias", 4 * filters) : null;
        var folded = ConvolutionLayout.ToChannelsFirst(g, g.Reshape(sequences, [-1, .. sequences.Shape[2..]]), channelsFirst);
        var projected = geometry.Convolve(g, folded, kernel, bias, 1);
        var stepShape = projected.Shape[1..];
        var leading = g.Slice(g.ShapeOf(sequences), 0, 0, 2);
        projected = g.Node("Reshape", [projected, g.Concat([leading, g.Longs(stepShape)], 0)], projected.Type, [sequences.Dim(0), steps, .. stepShape]);
        long[] stateShape = [filters, .. stepShape[1..]];
        var zero = g.Expand(g.Scalar(0), g.Concat([g.Slice(g.ShapeOf(sequences), 0, 0, 1), g.Longs(stateShape)], 0), [sequences.Dim(0), .. stateShape]);
        var initial = RecurrentCalls.InitialStates(c);
        var states = initial.Count == 2 ? initial.Select(s => ConvolutionLayout.ToChannelsFirst(g, s, channelsFirst)).ToList() : [zero, zero];
        OnnxValue Act(string name, OnnxValue v) => OnnxActivations.Apply(c, name, v);
        var outputs = new List<OnnxValue>();
        for (long t = 0; t < steps; t++)
        {
            var x = g.Squeeze(g.Slice(projected, 1, t, t + 1), 1);
            var z = g.SplitEqual(g.Add(x, recurrentGeometry.Convolve(g, states[0], recurrentKernel, null, 1)), 1, 4);
            var carry = g.Add(g.Mul(Act(recurrentActivation, z[1]), states[1]), g.Mul(Act(recurrentActivation, z[0]), Act(activation, z[2])));
            var h = g.Mul(Act(recurrentActivation, z[3]), Act(activation, carry));
            states = [h, carry];
            if (returnSequences) outputs.Add(g.Unsqueeze(ConvolutionLayout.FromChannelsFirst(g, h, channelsFirst), 1));
        }
        var output = returnSequences ? g.Concat(outputs, 1) : ConvolutionLayout.FromChannelsFirst(g, states[0], channelsFirst);
        var keras = states.Select(s => ConvolutionLayout.FromChannelsFirst(g, s, channelsFirst)).ToArray();
        return OnnxLayerCall.Drop(s.Options.ReturnState ? [output, .. keras] : [output]);
    }
}
