namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras's generic <c>RNN</c> layer around the cell its config serializes under <c>cell</c> (any registered
/// <see cref="RecurrentCell"/>: LSTMCell, GRUCell, SimpleRNNCell, StackedRNNCells); a list of cells is stacked.
/// </summary>
public sealed class RNN : RecurrentLayer
{
    /// <summary>Builds the layer and its cell.</summary>
    public RNN(LayerContext context, RNNSpec spec) : base(context, spec.Options, CellOf(context, spec)) { }

    static RecurrentCell CellOf(LayerContext context, RNNSpec spec)
    {
        var cell = spec.Cell;
        if (cell is JsonArray list)
            cell = new JsonObject
            {
                ["class_name"] = "StackedRNNCells",
                ["config"] = new JsonObject { ["name"] = context.Name + "_cells", ["cells"] = list.DeepClone() },
            };
        return CreateCell(context, cell, NestedLayerDescriptions.Child(context.Weights, "cell"), StepShapes(context, spec.Options));
    }
}
