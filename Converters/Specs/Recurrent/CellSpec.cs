namespace KerasPort.Specs.Recurrent;

/// <summary>
/// What Keras's recurrent cells share (keras/src/layers/rnn/*.py): units, the output and gate activations with
/// each generation's defaults, the bias, and dropout (training only). The LSTM, GRU and SimpleRNN layers carry
/// their cell's config in their own, so the same reader serves the layer and the cell.
/// </summary>
/// <param name="Units">The state size, positive.</param>
/// <param name="Activation">The output activation, tanh by default.</param>
/// <param name="RecurrentActivation">The gate activation (unused by SimpleRNN).</param>
/// <param name="UseBias">Whether the cell has a bias (Keras 1 recurrent layers always have one).</param>
/// <param name="CuDnn">Keras 2's CuDNNLSTM/CuDNNGRU: fixed activations, separate input and recurrent biases.</param>
/// <param name="Dropout">The input dropout rate (training only).</param>
/// <param name="RecurrentDropout">The recurrent dropout rate (training only).</param>
public abstract record CellSpec(long Units, string Activation, string RecurrentActivation, bool UseBias, bool CuDnn, double Dropout, double RecurrentDropout) : LayerSpec
{
    /// <summary>
    /// The cell a recurrent layer's or cell's config describes (an LSTM/GRU/SimpleRNN layer carries its cell's config
    /// in its own); null for a class that is no such cell.
    /// </summary>
    public static CellSpec? Of(LayerReader layer) => LayerSpecs.Read(layer) switch
    {
        CellSpec cell => cell,
        LSTMSpec lstm => lstm.Cell,
        GRUSpec gru => gru.Cell,
        SimpleRNNSpec rnn => rnn.Cell,
        _ => null,
    };

    /// <summary>Gate count: 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h), 1 for SimpleRNN.</summary>
    public abstract int Gates { get; }

    /// <summary>State count (LSTM: h and c).</summary>
    public virtual int StateCount => 1;

    /// <summary>
    /// The shared entries of <paramref name="layer"/>'s config. The gate activation defaults to the generation's:
    /// hard_sigmoid in Keras 1 and in Keras 2 before 2.3 (keras/layers/recurrent.py), sigmoid in Keras 3 and for the
    /// cuDNN layers, which write no activations (cuDNN fixes them to tanh and sigmoid).
    /// </summary>
    protected static (long Units, string Activation, string RecurrentActivation, bool UseBias, bool CuDnn, double Dropout, double RecurrentDropout) ReadCommon(LayerReader layer)
    {
        int units = layer.Int("units", -1);
        if (units <= 0) throw layer.ConfigError("units", units == -1 ? "missing" : $"must be positive, got {units}");
        bool cuDnn = layer.ClassName.StartsWith("CuDNN", StringComparison.Ordinal);
        var activation = layer.Has("activation") ? layer.ActivationName() : "tanh";
        var recurrentActivation = layer.Has("recurrent_activation") ? layer.ActivationName("recurrent_activation")
            : layer.KerasMajor >= 3 || cuDnn ? "sigmoid" : "hard_sigmoid";
        return (units, activation, recurrentActivation, layer.Bool("use_bias", true), cuDnn, layer.Double("dropout", 0), layer.Double("recurrent_dropout", 0));
    }

    /// <summary>The kernel, recurrent kernel and (with a bias) bias roles; Keras 1 names them W, U, b.</summary>
    public override IReadOnlyList<WeightRole> WeightRoles =>
        UseBias ? [new("kernel", "W"), new("recurrent_kernel", "U"), new("bias", "b")] : [new("kernel", "W"), new("recurrent_kernel", "U")];
}
