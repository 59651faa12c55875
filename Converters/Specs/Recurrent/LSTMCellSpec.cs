namespace KerasPort.Specs.Recurrent;

/// <summary>Keras <c>LSTMCell</c>, also the cell of <c>LSTM</c> and Keras 2's <c>CuDNNLSTM</c> (keras/src/layers/rnn/lstm.py): gates i, f, c, o.</summary>
/// <inheritdoc cref="CellSpec" path="/param"/>
public sealed record LSTMCellSpec(long Units, string Activation, string RecurrentActivation, bool UseBias, bool CuDnn, double Dropout, double RecurrentDropout)
    : CellSpec(Units, Activation, RecurrentActivation, UseBias, CuDnn, Dropout, RecurrentDropout), ILayerSpec<LSTMCellSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["LSTMCell"];

    /// <inheritdoc />
    public static LSTMCellSpec Read(LayerReader layer)
    {
        var c = ReadCommon(layer);
        return new(c.Units, c.Activation, c.RecurrentActivation, c.UseBias, c.CuDnn, c.Dropout, c.RecurrentDropout);
    }

    /// <inheritdoc />
    public override int Gates => 4;

    /// <inheritdoc />
    public override int StateCount => 2;
}
