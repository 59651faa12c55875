namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>SimpleRNN</c>: an RNN over the <see cref="SimpleRNNCell"/> its own config describes.</summary>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Builds the layer.</summary>
    public SimpleRNN(LayerContext context) : base(context, new SimpleRNNCell(OwnCellContext(context))) { }
}
