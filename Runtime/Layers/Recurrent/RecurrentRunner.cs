namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// The time loop of every recurrent layer: steps a <see cref="RecurrentCell"/> over a <c>(batch, time, ...)</c>
/// sequence as keras/src/backend/torch/rnn.py <c>rnn</c> (unroll=False) does.
/// </summary>
internal static class RecurrentRunner
{
    /// <summary>
    /// Runs <paramref name="cell"/> over <paramref name="sequences"/> and returns the output (every step's, stacked
    /// on axis 1, or the last step's) and the final states.
    /// </summary>
    /// <remarks>
    /// <para><paramref name="goBackwards"/> reverses the input (and mask) in time; the output sequence stays in
    /// that reversed order, as in Keras.</para>
    /// <para>LSTM and GRU cells whose config allows it run torch's fused kernel instead of the loop when there is
    /// no mask (<see cref="FusedRecurrence"/>).</para>
    /// <para>At a step where <paramref name="mask"/> is false every state keeps its previous value, and the output
    /// repeats the previous step's output (zeros before the first step), or is zero with
    /// <paramref name="zeroOutputForMask"/>.</para>
    /// </remarks>
    public static (Tensor Output, Tensor[] States) Run(RecurrentCell cell, Tensor sequences, IReadOnlyList<Tensor> initialStates,
        Tensor? mask, bool goBackwards, bool returnSequences, bool zeroOutputForMask)
    {
        if (sequences.dim() < 3 || sequences.Sizes()[1] == 0)
            throw new KerasPortException($"'{cell.Name}' expects a (batch, time, ...) input with at least one step, got ({string.Join(", ", sequences.Sizes())})");
        var keep = mask?.to_type(ScalarType.Bool);
        if (goBackwards)
        {
            sequences = sequences.flip(1);
            keep = keep?.flip(1);
        }
        if (cell.Fused is { } fused && fused.Accepts(sequences, initialStates, keep))
        {
            if (initialStates.Count > 0 && initialStates.Count != cell.StateCount)
                throw new KerasPortException($"'{cell.Name}' carries {cell.StateCount} states, {initialStates.Count} initial states were given");
            return fused.Run(sequences, initialStates, returnSequences);
        }
        var prepared = cell.Prepare(sequences);
        var states = initialStates.Count > 0 ? initialStates.ToArray() : cell.ZeroStates(prepared.select(1, 0));
        if (states.Length != cell.StateCount)
            throw new KerasPortException($"'{cell.Name}' carries {cell.StateCount} states, {states.Length} initial states were given");

        var outputs = new List<Tensor>();
        Tensor? previous = null;
        for (long t = 0; t < prepared.Sizes()[1]; t++)
        {
            // Each step's temporaries (gates) die with the step; its output and states move to the caller's scope.
            using var scope = NewDisposeScope();
            var (output, next) = cell.Step(prepared.select(1, t), states);
            if (keep is not null)
            {
                var step = keep.select(1, t);
                output = where(Broadcastable(step, output), output, zeroOutputForMask || previous is null ? zeros_like(output) : previous);
                next = next.Select((s, i) => where(Broadcastable(step, s), s, states[i])).ToArray();
            }
            scope.MoveToOuter(output);
            scope.MoveToOuter(next);
            previous = output;
            states = next;
            if (returnSequences) outputs.Add(output);
        }
        return (returnSequences ? stack(outputs, 1) : previous!, states);
    }

    /// <summary>A <c>(batch)</c> step mask reshaped to broadcast against <paramref name="like"/>.</summary>
    static Tensor Broadcastable(Tensor step, Tensor like) =>
        step.reshape([step.Sizes()[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]);
}
