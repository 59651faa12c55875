namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// What the recurrent lowerings read from a call: its time-step mask, its initial states, the inner calls of a
/// wrapped layer or of an RNN's cells; and the time flip of go_backwards.
/// </summary>
internal static class RecurrentCalls
{
    /// <summary>The time-step mask: the call's, or (Keras 1/2, states passed with the inputs) the first input's.</summary>
    internal static OnnxValue? SequenceMask(OnnxLayerCall c) => c.Mask ?? (c.Inputs.Count > 0 ? c.MaskOf(c.Inputs[0]) : null);

    /// <summary>The <c>initial_state</c> keyword's tensors and any tensors after the sequence among the positional inputs.</summary>
    internal static List<OnnxValue> InitialStates(OnnxLayerCall c)
    {
        static IEnumerable<OnnxValue> Tensors(object? value) => value switch
        {
            OnnxValue v => [v],
            IReadOnlyList<object?> list => list.SelectMany(Tensors),
            _ => [],
        };
        return c.Inputs.Skip(1).Concat(Tensors(c.Kwargs.GetValueOrDefault("initial_state"))).ToList();
    }

    /// <summary>Reverses the time axis (axis 1), whose length must be fixed.</summary>
    internal static OnnxValue Flip(OnnxLayerCall c, OnnxValue x)
    {
        if (x.Dim(1) < 0) throw c.Unsupported("go_backwards needs a fixed sequence length");
        return c.Graph.Reverse(x, 1);
    }

    /// <summary>
    /// The layer a serialized entry (<c>{"class_name", "config"}</c>) describes, as an inner call of <paramref name="outer"/>
    /// with <paramref name="weights"/> (<see cref="NestedLayerDescriptions.Of"/>).
    /// </summary>
    public static OnnxLayerCall InnerCall(OnnxLayerCall outer, JsonNode? serialized, string role, IReadOnlyList<WeightArray> weights, Action<JsonObject>? adjust = null) =>
        outer.Inner(NestedLayerDescriptions.Of(outer, serialized, role, weights, adjust), outer.Args, outer.Kwargs, outer.Mask);

    /// <summary>
    /// The cells of an RNN's <c>cell</c> config (one cell, a StackedRNNCells, or a list) with their weights
    /// (<see cref="NestedLayerDescriptions.StackedCellWeights"/>).
    /// </summary>
    public static IReadOnlyList<OnnxLayerCall> Cells(OnnxLayerCall outer, JsonNode? cell, IReadOnlyList<WeightArray> weights)
    {
        JsonArray? list = cell as JsonArray ?? ((string?)cell?["class_name"] == "StackedRNNCells" ? cell["config"]?["cells"] as JsonArray : null);
        if (list is null) return [InnerCall(outer, cell, "cell", weights)];
        var shares = NestedLayerDescriptions.StackedCellWeights(outer, list, weights);
        return list.Select((entry, i) => InnerCall(outer, entry, "cell", shares[i])).ToList();
    }
}
