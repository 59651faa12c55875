namespace KerasPort.Specs.Recurrent;

/// <summary>Keras <c>StackedRNNCells</c> (keras/src/layers/rnn/stacked_rnn_cells.py): cells applied one after the other at each step.</summary>
/// <param name="Cells">The serialized cells, in order.</param>
public sealed record StackedRNNCellsSpec(JsonArray Cells) : LayerSpec, ILayerSpec<StackedRNNCellsSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["StackedRNNCells"];

    /// <inheritdoc />
    public static StackedRNNCellsSpec Read(LayerReader layer) => new(layer.Config["cells"] as JsonArray ?? throw layer.ConfigError("cells", "missing (a list of cells)"));
}
