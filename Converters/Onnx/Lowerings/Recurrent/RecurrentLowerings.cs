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
        OnnxLowerings.Add<LSTMSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        OnnxLowerings.Add<GRUSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        OnnxLowerings.Add<SimpleRNNSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        OnnxLowerings.Add<RNNSpec>(table, RNNLowering.Lower);
        OnnxLowerings.Add<BidirectionalSpec>(table, BidirectionalLowering.Lower);
        OnnxLowerings.Add<TimeDistributedSpec>(table, TimeDistributedLowering.Lower);
        OnnxLowerings.Add<ConvLSTMSpec>(table, ConvLSTMLowering.Lower);
    }
}
