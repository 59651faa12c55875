namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>LSTM</c> and Keras 2 <c>CuDNNLSTM</c>: an RNN over the <see cref="LSTMCell"/> its own config describes.</summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["LSTM", "CuDNNLSTM"];

    /// <summary>Builds the layer.</summary>
    public LSTM(LayerContext context) : base(context, new LSTMCell(OwnCellContext(context))) { }
}
