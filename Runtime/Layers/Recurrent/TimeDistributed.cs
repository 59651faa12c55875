namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>TimeDistributed</c>: applies the wrapped layer (any registered layer) to every time step, by folding
/// the time axis into the batch axis, calling the layer once, and unfolding its outputs
/// (keras/src/layers/rnn/time_distributed.py calls it per step; inference layers do not mix batch entries, so
/// the results are the same).
/// </summary>
public sealed class TimeDistributed : KerasLayer
{
    readonly KerasLayer inner;

    /// <summary>
    /// Builds the wrapped layer with the weights (Keras 3 files keep them in the <c>layer</c> group), for inputs with
    /// the time axis folded into the batch axis.
    /// </summary>
    public TimeDistributed(LayerContext context, TimeDistributedSpec spec) : base(context) =>
        inner = NestedLayers.Create(context, spec.Layer, "layer", NestedLayerDescriptions.Child(context.Weights, "layer"),
            context.InputShapes is [var x, ..] ? [[x[0] * x[1], .. x[2..]]] : null);

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && inner.IsTrainableWeight(index);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        long batch = x.Sizes()[0], steps = x.Sizes()[1];
        var mask = arguments.Mask is { } m && m.dim() >= 2 ? Fold(m, batch, steps) : null;
        var outputs = inner.Call(arguments.ForInner([Fold(x, batch, steps)], new Dictionary<string, object?>(), mask));
        return outputs.Select(o => o.reshape([batch, steps, .. o.Sizes().Skip(1)])).ToArray();
    }

    static Tensor Fold(Tensor x, long batch, long steps) => x.reshape([batch * steps, .. x.Sizes().Skip(2)]);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
