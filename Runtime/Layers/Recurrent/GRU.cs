namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>Keras <c>GRU</c> and Keras 2 <c>CuDNNGRU</c>: an RNN over the <see cref="GRUCell"/> its own config describes.</summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Builds the layer.</summary>
    public GRU(LayerContext context, GRUSpec spec) : base(context, spec.Options, new GRUCell(OwnCellContext(context, spec.Options), spec.Cell)) { }
}
