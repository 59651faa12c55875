namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>ConvLSTM1D</c>, <c>ConvLSTM2D</c> and <c>ConvLSTM3D</c>: an RNN over the <see cref="ConvLSTMCell"/> its own config describes.</summary>
public sealed class ConvLSTM : RecurrentLayer
{
    /// <summary>Builds the layer.</summary>
    public ConvLSTM(LayerContext context, ConvLSTMSpec spec) : base(context, spec.Options, new ConvLSTMCell(OwnCellContext(context, spec.Options), spec.Cell)) { }
}
