namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>GRU</c> and Keras 2 <c>CuDNNGRU</c>: an RNN over the <see cref="GRUCell"/> its own config describes.</summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["GRU", "CuDNNGRU"];

    /// <summary>Builds the layer.</summary>
    public GRU(LayerContext context) : base(context, new GRUCell(OwnCellContext(context))) { }
}
