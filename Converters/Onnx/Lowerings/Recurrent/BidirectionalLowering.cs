namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Bidirectional as two runs of the wrapped layer's lowering (reference semantics: Runtime/Layers/Recurrent/Bidirectional.cs).</summary>
internal static class BidirectionalLowering
{
    /// <summary>
    /// Bidirectional: the wrapped layer forward and a go_backwards copy (or the config's backward_layer), the backward
    /// output sequence flipped back, merged (concat, sum, mul, ave, or none: two outputs), then the forward states and
    /// the backward ones, each with its share of the weights (<see cref="NestedLayerDescriptions.BidirectionalWeights"/>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, BidirectionalSpec s)
    {
        var g = c.Graph;
        var mergeMode = s.MergeMode;
        var layer = s.Layer;
        bool returnSequences = s.ReturnSequences;
        var (forwardWeights, backwardWeights) = NestedLayerDescriptions.BidirectionalWeights(c);
        // Keras 2 and 3 force zero_output_for_mask = return_sequences on both layers; Keras 1 had no such flag.
        void ZeroOutput(JsonObject config)
        {
            if (c.KerasMajor >= 2) config["zero_output_for_mask"] = returnSequences;
        }
        var states = RecurrentCalls.InitialStates(c);
        int half = states.Count / 2;
        var mask = RecurrentCalls.SequenceMask(c);
        OnnxValue[] RunInner(OnnxLayerCall inner, IEnumerable<OnnxValue> initial)
        {
            var kwargs = new Dictionary<string, object?>();
            var list = initial.Cast<object?>().ToList();
            if (list.Count > 0) kwargs["initial_state"] = list;
            var call = c.Inner(inner.Description, [c.Inputs[0]], kwargs, mask);
            return [.. OnnxModelWriter.Lowering(call)(call).Outputs];
        }
        var forward = RecurrentCalls.InnerCall(c, layer, "forward_layer", forwardWeights, ZeroOutput);
        var backward = s.BackwardLayer is { } explicitBackward
            ? RecurrentCalls.InnerCall(c, explicitBackward, "backward_layer", backwardWeights, ZeroOutput)
            : RecurrentCalls.InnerCall(c, layer, "backward_layer", backwardWeights, config =>
            {
                config["go_backwards"] = !((bool?)config["go_backwards"] ?? false);
                config["name"] = "backward_" + ((string?)config["name"] ?? c.Name);
                ZeroOutput(config);
            });
        var y = RunInner(forward, states.Take(half));
        var yRev = RunInner(backward, states.Skip(half));
        var backwardOutput = returnSequences ? RecurrentCalls.Flip(c, yRev[0]) : yRev[0];
        OnnxValue[] merged = mergeMode switch
        {
            "concat" => [g.Concat([y[0], backwardOutput], -1)],
            "sum" => [g.Add(y[0], backwardOutput)],
            "ave" => [g.Scale(g.Add(y[0], backwardOutput), 0.5)],
            "mul" => [g.Mul(y[0], backwardOutput)],
            _ => [y[0], backwardOutput],
        };
        return new OnnxLowered([.. merged, .. y.Skip(1), .. yRev.Skip(1)], returnSequences ? mask : null);
    }
}
