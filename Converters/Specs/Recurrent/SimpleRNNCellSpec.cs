namespace KerasPort.Specs.Recurrent;

/// <summary>Keras <c>SimpleRNNCell</c>, also the cell of <c>SimpleRNN</c> (keras/src/layers/rnn/simple_rnn.py): <c>h' = activation(x @ W + b + h @ U)</c>.</summary>
/// <inheritdoc cref="CellSpec" path="/param"/>
public sealed record SimpleRNNCellSpec(long Units, string Activation, string RecurrentActivation, bool UseBias, bool CuDnn, double Dropout, double RecurrentDropout)
    : CellSpec(Units, Activation, RecurrentActivation, UseBias, CuDnn, Dropout, RecurrentDropout), ILayerSpec<SimpleRNNCellSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["SimpleRNNCell"];

    /// <inheritdoc />
    public static SimpleRNNCellSpec Read(LayerReader layer)
    {
        var c = ReadCommon(layer);
        return new(c.Units, c.Activation, c.RecurrentActivation, c.UseBias, c.CuDnn, c.Dropout, c.RecurrentDropout);
    }

    /// <inheritdoc />
    public override int Gates => 1;
}
