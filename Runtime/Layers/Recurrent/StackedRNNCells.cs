namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>StackedRNNCells</c>: cells applied in turn within one step, each feeding its output to the next;
/// the states are every cell's states, in cell order (keras/src/layers/rnn/stacked_rnn_cells.py).
/// </summary>
public sealed class StackedRNNCells : RecurrentCell
{
    readonly RecurrentCell[] cells;

    /// <summary>Builds each cell of the config's <c>cells</c> list with its share of the weights.</summary>
    public StackedRNNCells(LayerContext context, StackedRNNCellsSpec spec) : base(context) => cells = Build(context, spec.Cells);

    static RecurrentCell[] Build(LayerContext context, JsonArray entries)
    {
        var shares = NestedLayerDescriptions.StackedCellWeights(context, entries, context.Weights);
        var built = new List<RecurrentCell>();
        var stepShapes = context.InputShapes;
        try
        {
            for (int i = 0; i < entries.Count; i++)
            {
                built.Add(RecurrentLayer.CreateCell(context, entries[i], shares[i], stepShapes));
                if (stepShapes is [var shape, ..]) stepShapes = [OutputShape(built[^1], shape, context.Device)];
            }
        }
        catch
        {
            foreach (var cell in built) cell.Dispose();
            throw;
        }
        return [.. built];
    }

    /// <summary>
    /// The shape of <paramref name="cell"/>'s output for step inputs of <paramref name="inputShape"/>: the next
    /// cell's input, which Keras sizes from the cell's <c>output_size</c> (stacked_rnn_cells.py <c>build</c>).
    /// </summary>
    static long[] OutputShape(RecurrentCell cell, long[] inputShape, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prepared = cell.Prepare(zeros(inputShape, ScalarType.Float32, device));
        return cell.Step(prepared, cell.ZeroStates(prepared)).Output.Sizes();
    }

    /// <inheritdoc />
    public override int StateCount => cells.Sum(c => c.StateCount);

    /// <inheritdoc />
    public override Tensor Prepare(Tensor inputs) => cells[0].Prepare(inputs);

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states)
    {
        var next = new List<Tensor>(states.Count);
        Tensor output = prepared;
        for (int i = 0; i < cells.Length; i++)
        {
            var cellStates = states.Skip(next.Count).Take(cells[i].StateCount).ToList();
            (output, var newStates) = cells[i].Step(i == 0 ? prepared : cells[i].Prepare(output), cellStates);
            next.AddRange(newStates);
        }
        return (output, [.. next]);
    }

    /// <summary>Each cell's zero states; a cell after the first needs its own input's shape, so a zero-state step feeds it.</summary>
    public override Tensor[] ZeroStates(Tensor prepared)
    {
        var states = new List<Tensor>();
        for (int i = 0; i < cells.Length; i++)
        {
            var zero = cells[i].ZeroStates(prepared);
            states.AddRange(zero);
            if (i + 1 < cells.Length) prepared = cells[i + 1].Prepare(cells[i].Step(prepared, zero).Output);
        }
        return [.. states];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var cell in cells) cell.Dispose();
        base.Dispose(disposing);
    }
}
