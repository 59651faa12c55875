namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>LSTM</c> and Keras 2 <c>CuDNNLSTM</c>: an RNN over the <see cref="LSTMCell"/> its own config describes.</summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Builds the layer.</summary>
    public LSTM(LayerContext context, LSTMSpec spec) : base(context, spec.Options, new LSTMCell(OwnCellContext(context, spec.Options), spec.Cell)) { }
}
