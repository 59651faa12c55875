namespace KerasPort.Specs.Recurrent;

/// <summary>
/// What every Keras RNN layer adds to its cell (keras/src/layers/rnn/rnn.py <c>RNN</c>); <c>unroll</c> does not
/// change inference.
/// </summary>
/// <param name="ReturnSequences">Return every step's output, not only the last.</param>
/// <param name="ReturnState">Also return the final states.</param>
/// <param name="GoBackwards">Process the sequence backwards (and return the reversed sequence).</param>
/// <param name="ZeroOutputForMask">Masked steps output zeros instead of the previous output.</param>
/// <param name="TimeMajor">tf.keras's time-major layout: time first, then batch.</param>
/// <param name="Dropout">The layer's config asks for dropout or recurrent dropout (which act in training only).</param>
/// <param name="Stateful">Keras carries the final states over to the next batch; KerasPort's runtime starts every call afresh.</param>
public sealed record RecurrentOptions(bool ReturnSequences, bool ReturnState, bool GoBackwards, bool ZeroOutputForMask, bool TimeMajor, bool Dropout, bool Stateful)
{
    /// <summary>Reads the options of <paramref name="layer"/>.</summary>
    public static RecurrentOptions Read(LayerReader layer) => new(layer.Bool("return_sequences", false), layer.Bool("return_state", false),
        layer.Bool("go_backwards", false), layer.Bool("zero_output_for_mask", false), layer.Bool("time_major", false),
        layer.Double("dropout", 0) > 0 || layer.Double("recurrent_dropout", 0) > 0, layer.Bool("stateful", false));

    /// <summary>The time axis of the sequence input: 0 with <see cref="TimeMajor"/>, else 1.</summary>
    public int TimeAxis => TimeMajor ? 0 : 1;
}
