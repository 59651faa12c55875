namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The elementwise merging layers as ONNX nodes (reference semantics: Runtime/Layers/Merging/Merge.cs).</summary>
internal static class MergeLowering
{
    /// <summary>
    /// Add, Subtract, Multiply, Average, Maximum, Minimum: inputs of lower rank get size-1 axes at axis 1 until the
    /// ranks agree, then are folded left to right (Average adds, then divides by the count).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, MergeSpec s)
    {
        var g = c.Graph;
        var inputs = c.Inputs;
        if (inputs.Count == 0) throw new ArgumentException($"{c.ClassName} '{c.Name}' was called without inputs");
        if (s.Operation == MergeOperation.Subtract && inputs.Count != 2) throw new ArgumentException($"Subtract '{c.Name}' takes exactly 2 inputs, got {inputs.Count}");
        var op = s.Operation switch
        {
            MergeOperation.Add or MergeOperation.Average => "Add",
            MergeOperation.Subtract => "Sub",
            MergeOperation.Multiply => "Mul",
            MergeOperation.Maximum => "Max",
            _ => "Min",
        };
        int rank = inputs.Max(x => x.Rank);
        var output = inputs.Select(x => x.Rank < rank ? g.Unsqueeze(x, Enumerable.Range(1, rank - x.Rank).ToArray()) : x)
            .Aggregate((a, b) => g.Binary(op, a, b));
        return c.Pass(s.Operation == MergeOperation.Average ? g.Scale(output, 1.0 / inputs.Count) : output);
    }
}
