namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// What every Keras RNN layer shares (keras/src/layers/rnn/rnn.py <c>RNN</c>): a cell stepped over the time axis
/// by <see cref="RecurrentRunner"/>, with <c>return_sequences</c>, <c>return_state</c> (outputs
/// <c>[output, *states]</c>), <c>go_backwards</c>, <c>zero_output_for_mask</c>, tf.keras's <c>time_major</c>,
/// and initial states given as the <c>initial_state</c> argument or (Keras 2) as extra inputs. <c>stateful</c> is
/// ignored (every call starts from the initial states); <c>unroll</c> and dropout do not change inference.
/// </summary>
public abstract class RecurrentLayer : KerasLayer
{
    readonly bool returnSequences;
    readonly bool returnState;
    readonly bool goBackwards;
    readonly bool zeroOutputForMask;
    readonly bool timeMajor;

    /// <summary>True when the config asks for (recurrent) dropout, which only acts in training.</summary>
    readonly bool dropout;

    /// <summary>Builds the layer around <paramref name="cell"/>, which it then owns, stepped as <paramref name="options"/> say.</summary>
    protected RecurrentLayer(LayerContext context, RecurrentOptions options, RecurrentCell cell) : base(context)
    {
        Cell = cell;
        (returnSequences, returnState, goBackwards) = (options.ReturnSequences, options.ReturnState, options.GoBackwards);
        (zeroOutputForMask, timeMajor, dropout) = (options.ZeroOutputForMask, options.TimeMajor, options.Dropout);
    }

    /// <summary>The cell stepped over time.</summary>
    public RecurrentCell Cell { get; }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        if (arguments.Training && dropout)
            throw new UnsupportedLayerException(ClassName, Name, "training with dropout or recurrent_dropout is not supported yet (set them to 0)");
        var sequences = timeMajor ? arguments.Inputs[0].transpose(0, 1) : arguments.Inputs[0];
        var (output, states) = RecurrentRunner.Run(Cell, sequences, InitialStates(arguments), SequenceMask(arguments), goBackwards, returnSequences, zeroOutputForMask);
        if (timeMajor && returnSequences) output = output.transpose(0, 1);
        return returnState ? [output, .. states] : [output];
    }

    /// <summary>The input mask passes on with the sequence output; a last-step output carries none.</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => returnSequences ? SequenceMask(arguments) : null;

    /// <summary>
    /// The sequence's time-step mask: the call's mask, or (Keras 1/2, states passed with the inputs) the mask
    /// of the first input, as keras/layers/recurrent.py <c>RNN.call</c> takes <c>mask[0]</c>.
    /// </summary>
    internal static Tensor? SequenceMask(CallArguments arguments) => arguments.Mask ?? arguments.InputMasks.FirstOrDefault();

    /// <summary>
    /// The context of the cell that layers such as LSTM imply: the layer's own config, and its weights (Keras 3
    /// files keep them in the <c>cell</c> group).
    /// </summary>
    protected static LayerContext OwnCellContext(LayerContext context, RecurrentOptions options) =>
        context.ForInner(context.Description with { Weights = NestedLayerDescriptions.Child(context.Weights, "cell") }, StepShapes(context, options));

    /// <summary>
    /// The shape of one time step of the layer's sequence input (the time axis dropped: axis 1, or 0 with
    /// <c>time_major</c>), which the cell is built for (keras/src/layers/rnn/rnn.py <c>build</c>); null when unknown.
    /// </summary>
    internal static IReadOnlyList<long[]>? StepShapes(LayerContext context, RecurrentOptions options)
    {
        if (context.InputShapes is not [var sequence, ..]) return null;
        int timeAxis = options.TimeAxis;
        return [sequence.Where((_, axis) => axis != timeAxis).ToArray()];
    }

    /// <summary>
    /// Builds the serialized cell <paramref name="serialized"/> with the registry, for step inputs of
    /// <paramref name="stepShapes"/>; it must be a <see cref="RecurrentCell"/>.
    /// </summary>
    internal static RecurrentCell CreateCell(LayerContext outer, JsonNode? serialized, IReadOnlyList<WeightArray> weights, IReadOnlyList<long[]>? stepShapes)
    {
        var layer = NestedLayers.Create(outer, serialized, "cell", weights, stepShapes);
        if (layer is RecurrentCell cell) return cell;
        layer.Dispose();
        throw new UnsupportedLayerException(layer.ClassName, outer.Name, $"cell class '{layer.ClassName}' is not a recurrent cell");
    }

    /// <summary>
    /// The initial states a call passes: the <c>initial_state</c> keyword (Keras 3, tf.keras) and any tensors after
    /// the sequence among the positional inputs (Keras 2 appends them to the layer's inputs).
    /// </summary>
    internal static List<Tensor> InitialStates(CallArguments arguments) =>
        arguments.Inputs.Skip(1).Concat(TensorsOf(arguments.Kwargs.GetValueOrDefault("initial_state"))).ToList();

    static IEnumerable<Tensor> TensorsOf(object? value) => value switch
    {
        Tensor tensor => [tensor],
        IReadOnlyList<object?> list => list.SelectMany(TensorsOf),
        _ => [],
    };

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Cell.Dispose();
        base.Dispose(disposing);
    }
}
