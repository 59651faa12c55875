namespace KerasPort.Specs.Recurrent;

/// <summary>
/// Keras <c>GRUCell</c>, also the cell of <c>GRU</c> and Keras 2's <c>CuDNNGRU</c> (keras/src/layers/rnn/gru.py):
/// gates z, r, h; with <c>reset_after</c> the reset gate scales <c>h @ U_h + b_rec</c>, without it <c>h</c>.
/// </summary>
/// <param name="Units">The state size.</param>
/// <param name="Activation">The output activation.</param>
/// <param name="RecurrentActivation">The gate activation.</param>
/// <param name="UseBias">Whether the cell has a bias.</param>
/// <param name="CuDnn">Keras 2's CuDNNGRU.</param>
/// <param name="Dropout">The input dropout rate (training only).</param>
/// <param name="RecurrentDropout">The recurrent dropout rate (training only).</param>
/// <param name="ResetAfter">Keras 3 and tf.keras 2 default to True, Keras 1 and 2 to False; CuDNNGRU always resets after.</param>
public sealed record GRUCellSpec(long Units, string Activation, string RecurrentActivation, bool UseBias, bool CuDnn, double Dropout, double RecurrentDropout, bool ResetAfter)
    : CellSpec(Units, Activation, RecurrentActivation, UseBias, CuDnn, Dropout, RecurrentDropout), ILayerSpec<GRUCellSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GRUCell"];

    /// <inheritdoc />
    public static GRUCellSpec Read(LayerReader layer)
    {
        var c = ReadCommon(layer);
        return new(c.Units, c.Activation, c.RecurrentActivation, c.UseBias, c.CuDnn, c.Dropout, c.RecurrentDropout,
            c.CuDnn || layer.Bool("reset_after", layer.KerasMajor >= 3));
    }

    /// <inheritdoc />
    public override int Gates => 3;
}
