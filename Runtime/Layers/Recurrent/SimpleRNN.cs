namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>SimpleRNN</c>: an RNN over the <see cref="SimpleRNNCell"/> its own config describes.</summary>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Builds the layer.</summary>
    public SimpleRNN(LayerContext context, SimpleRNNSpec spec) : base(context, spec.Options, new SimpleRNNCell(OwnCellContext(context, spec.Options), spec.Cell)) { }
}
