namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// A Keras RNN cell: computes one time step from the step's input and the previous states.
/// <see cref="RecurrentRunner"/> steps it over a sequence. The input-to-hidden part of a step does not
/// depend on the states, so <see cref="Prepare"/> computes it for every step at once and <see cref="Step"/>
/// receives the prepared input.
/// </summary>
public abstract class RecurrentCell : KerasLayer
{
    /// <summary>Builds the common part from the cell's context.</summary>
    protected RecurrentCell(LayerContext context) : base(context) { }

    /// <summary>How many state tensors the cell carries (LSTM: h and c).</summary>
    public abstract int StateCount { get; }

    /// <summary>
    /// The state-independent part of a step, for inputs of shape <c>(leading..., step input shape)</c>
    /// (a whole sequence or one step); the result keeps the leading axes.
    /// </summary>
    public abstract Tensor Prepare(Tensor inputs);

    /// <summary>One step: the output and the new states from a prepared step input and the previous states.</summary>
    public abstract (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states);

    /// <summary>Zero initial states (Keras's <c>get_initial_state</c>) for a batch, given one prepared step input.</summary>
    public abstract Tensor[] ZeroStates(Tensor prepared);

    /// <summary>
    /// torch's fused kernel for the whole sequence when the cell's config allows it (LSTM, GRU); null otherwise.
    /// </summary>
    internal FusedRecurrence? Fused { get; private protected set; }

    /// <summary>Projects a whole sequence through the input kernel at once (plus the input bias, if any).</summary>
    protected static Tensor Project(Tensor inputs, Tensor kernel, Tensor? bias)
    {
        var projected = inputs.MatmulChecked(kernel);
        return bias is null ? projected : projected.Plus(bias);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Fused?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Keras's cell call: arguments <c>(inputs, states)</c>, outputs <c>[output, *new_states]</c>.</summary>
    public override Tensor[] Call(CallArguments arguments)
    {
        var tensors = arguments.Inputs;
        if (tensors.Count != 1 + StateCount)
            throw new KerasPortException($"cell '{Name}' ({ClassName}) takes an input and {StateCount} states, got {tensors.Count} tensors");
        var (output, states) = Step(Prepare(tensors[0]), tensors.Skip(1).ToList());
        return [output, .. states];
    }
}
