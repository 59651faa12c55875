using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime.Graph;

/// <summary>A Sequential or Functional model used as a layer of another model.</summary>
public sealed class NestedModel : KerasLayer
{
    /// <summary>Wraps <paramref name="graph"/>, which the layer then owns.</summary>
    public NestedModel(LayerContext context, ModelGraph graph) : base(context) => Graph = graph;

    /// <summary>The inner model.</summary>
    public ModelGraph Graph { get; }

    /// <inheritdoc />
    public override long ParamCount => Graph.Layers.Values.Sum(l => l.ParamCount);

    /// <inheritdoc />
    public override long TrainableParamCount => TrainableByConfig ? Graph.Layers.Values.Sum(l => l.TrainableParamCount) : 0;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => Graph.Execute(arguments.Inputs, null, arguments.Training, arguments.AddedLosses);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Graph.Dispose();
        base.Dispose(disposing);
    }
}
