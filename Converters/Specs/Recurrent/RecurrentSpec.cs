namespace KerasPort.Specs.Recurrent;

/// <summary>A Keras RNN layer over the cell its own config describes (LSTM, GRU, SimpleRNN, the cuDNN layers, ConvLSTM).</summary>
/// <typeparam name="TCell">The cell's spec.</typeparam>
/// <param name="Cell">The cell, read from the layer's own config.</param>
/// <param name="Options">The sequence options.</param>
public abstract record RecurrentSpec<TCell>(TCell Cell, RecurrentOptions Options) : LayerSpec where TCell : LayerSpec
{
    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => Cell.WeightRoles;
}

/// <summary>Keras <c>LSTM</c> and Keras 2 <c>CuDNNLSTM</c>.</summary>
/// <param name="Cell">The cell, read from the layer's own config.</param>
/// <param name="Options">The sequence options.</param>
public sealed record LSTMSpec(LSTMCellSpec Cell, RecurrentOptions Options) : RecurrentSpec<LSTMCellSpec>(Cell, Options), ILayerSpec<LSTMSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["LSTM", "CuDNNLSTM"];

    /// <inheritdoc />
    public static LSTMSpec Read(LayerReader layer) => new(LSTMCellSpec.Read(layer), RecurrentOptions.Read(layer));
}

/// <summary>Keras <c>GRU</c> and Keras 2 <c>CuDNNGRU</c>.</summary>
/// <param name="Cell">The cell, read from the layer's own config.</param>
/// <param name="Options">The sequence options.</param>
public sealed record GRUSpec(GRUCellSpec Cell, RecurrentOptions Options) : RecurrentSpec<GRUCellSpec>(Cell, Options), ILayerSpec<GRUSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["GRU", "CuDNNGRU"];

    /// <inheritdoc />
    public static GRUSpec Read(LayerReader layer) => new(GRUCellSpec.Read(layer), RecurrentOptions.Read(layer));
}

/// <summary>Keras <c>SimpleRNN</c>.</summary>
/// <param name="Cell">The cell, read from the layer's own config.</param>
/// <param name="Options">The sequence options.</param>
public sealed record SimpleRNNSpec(SimpleRNNCellSpec Cell, RecurrentOptions Options) : RecurrentSpec<SimpleRNNCellSpec>(Cell, Options), ILayerSpec<SimpleRNNSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["SimpleRNN"];

    /// <inheritdoc />
    public static SimpleRNNSpec Read(LayerReader layer) => new(SimpleRNNCellSpec.Read(layer), RecurrentOptions.Read(layer));
}

/// <summary>Keras <c>ConvLSTM1D/2D/3D</c> (keras/src/layers/rnn/conv_lstm.py).</summary>
/// <param name="Cell">The cell, read from the layer's own config.</param>
/// <param name="Options">The sequence options.</param>
public sealed record ConvLSTMSpec(ConvLSTMCellSpec Cell, RecurrentOptions Options) : RecurrentSpec<ConvLSTMCellSpec>(Cell, Options), ILayerSpec<ConvLSTMSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"];

    /// <inheritdoc />
    public static ConvLSTMSpec Read(LayerReader layer) => new(ConvLSTMCellSpec.Read(layer), RecurrentOptions.Read(layer));
}
