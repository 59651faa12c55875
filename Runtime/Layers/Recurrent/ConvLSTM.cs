namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>ConvLSTM1D</c>, <c>ConvLSTM2D</c> and <c>ConvLSTM3D</c>: an RNN over the <see cref="ConvLSTMCell"/> its own config describes.</summary>
public sealed class ConvLSTM : RecurrentLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"];

    /// <summary>Builds the layer.</summary>
    public ConvLSTM(LayerContext context) : base(context, new ConvLSTMCell(OwnCellContext(context))) { }
}
