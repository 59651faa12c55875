namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// Keras <c>Bidirectional</c> (keras/src/layers/rnn/bidirectional.py): runs the wrapped layer forward and a
/// <c>go_backwards</c> copy (or the config's <c>backward_layer</c>), flips the backward output sequence back into
/// input order when <c>return_sequences</c>, and merges the two outputs (<c>concat</c>, <c>sum</c>, <c>mul</c>,
/// <c>ave</c>, or none: two outputs). With <c>return_state</c> the forward states, then the backward ones,
/// follow. Initial states are split in half between the two layers.
/// </summary>
public sealed class Bidirectional : KerasLayer
{
    readonly KerasLayer forward;
    readonly KerasLayer backward;
    readonly string? mergeMode;
    readonly bool returnSequences;
    readonly (KerasLayer? Layer, int Index)[] weightOwners;

    /// <summary>Builds the two inner layers, each with its half of the weights.</summary>
    public Bidirectional(LayerContext context, BidirectionalSpec spec) : base(context)
    {
        mergeMode = spec.MergeMode;
        var layer = spec.Layer;
        returnSequences = spec.ReturnSequences;
        var (forwardWeights, backwardWeights) = NestedLayerDescriptions.BidirectionalWeights(context);
        // Keras 2 and 3 force zero_output_for_mask = return_sequences on both layers; Keras 1 had no such flag.
        Action<JsonObject> zeroOutput = c =>
        {
            if (context.Generation != KerasGeneration.Keras1) c["zero_output_for_mask"] = returnSequences;
        };
        // Each layer gets the sequence and its half of the initial states; only the sequence sizes its weights.
        IReadOnlyList<long[]>? sequenceShape = context.InputShapes is [var sequence, ..] ? [sequence] : null;
        forward = NestedLayers.Create(context, layer, "forward_layer", forwardWeights, sequenceShape, zeroOutput);
        try
        {
            backward = spec.BackwardLayer is { } explicitBackward
                ? NestedLayers.Create(context, explicitBackward, "backward_layer", backwardWeights, sequenceShape, zeroOutput)
                : NestedLayers.Create(context, layer, "backward_layer", backwardWeights, sequenceShape, c =>
                {
                    c["go_backwards"] = !((bool?)c["go_backwards"] ?? false);
                    c["name"] = "backward_" + ((string?)c["name"] ?? context.Name);
                    zeroOutput(c);
                });
        }
        catch
        {
            forward.Dispose();
            throw;
        }
        weightOwners = OwnersOf(context.Weights, forward, backward);
    }

    /// <summary>Which inner layer, and which of its weights, each of this layer's weights is (the Keras 3 order differs).</summary>
    static (KerasLayer?, int)[] OwnersOf(IReadOnlyList<WeightArray> weights, KerasLayer forward, KerasLayer backward) =>
        weights.Select(w =>
        {
            foreach (var layer in new[] { forward, backward })
                for (int k = 0; k < layer.Weights.Count; k++)
                    if (ReferenceEquals(layer.Weights[k].Value, w.Value)) return ((KerasLayer?)layer, k);
            return (null, -1);
        }).ToArray();

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) =>
        TrainableByConfig && (weightOwners[index].Layer?.IsTrainableWeight(weightOwners[index].Index) ?? true);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var sequences = arguments.Inputs[0];
        var states = RecurrentLayer.InitialStates(arguments);
        int half = states.Count / 2;
        var mask = RecurrentLayer.SequenceMask(arguments);
        var y = forward.Call(InnerCall(arguments, sequences, states.Take(half), mask));
        var yRev = backward.Call(InnerCall(arguments, sequences, states.Skip(half), mask));
        var backwardOutput = returnSequences ? yRev[0].flip(1) : yRev[0];
        Tensor[] merged = mergeMode switch
        {
            "concat" => [cat([y[0], backwardOutput], -1)],
            "sum" => [y[0].Plus(backwardOutput)],
            "ave" => [y[0].Plus(backwardOutput) / Of(2)],
            "mul" => [y[0] * backwardOutput],
            _ => [y[0], backwardOutput],
        };
        return [.. merged, .. y.Skip(1), .. yRev.Skip(1)];
    }

    static CallArguments InnerCall(CallArguments outer, Tensor sequences, IEnumerable<Tensor> initialStates, Tensor? mask)
    {
        var states = initialStates.Cast<object?>().ToList();
        var kwargs = new Dictionary<string, object?>();
        if (states.Count > 0) kwargs["initial_state"] = states;
        return outer.ForInner([sequences], kwargs, mask);
    }

    /// <summary>Whether the layer returns its forward and backward sequences apart (no merge mode, return_sequences).</summary>
    internal bool SplitsSequences => mergeMode is null && returnSequences;

    /// <summary>The input mask passes on with sequence outputs; last-step outputs carry none.</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => returnSequences ? RecurrentLayer.SequenceMask(arguments) : null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            forward.Dispose();
            backward.Dispose();
        }
        base.Dispose(disposing);
    }
}
