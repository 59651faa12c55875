namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's merging layers as ONNX nodes (reference semantics: Runtime/Layers/Merging).</summary>
internal static class MergingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<MergeSpec>(table, Elementwise);
        OnnxLowerings.Add<ConcatenateSpec>(table, (c, s) => c.Pass(c.Graph.Concat(c.Inputs, s.Axis)));
        OnnxLowerings.Add<DotSpec>(table, Dot);
    }

    /// <summary>
    /// Add, Subtract, Multiply, Average, Maximum, Minimum: inputs of lower rank get size-1 axes at axis 1 until the
    /// ranks agree, then are folded left to right (Average adds, then divides by the count).
    /// </summary>
    static OnnxLowered Elementwise(OnnxLayerCall c, MergeSpec s)
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

    /// <summary>
    /// Dot: batchwise dot product over <c>axes</c>, the contracted axis moved last in the first input and first (after the
    /// batch) in the second, then a batched MatMul (keras/src/layers/merging/dot.py <c>batch_dot</c>).
    /// </summary>
    static OnnxLowered Dot(OnnxLayerCall c, DotSpec s)
    {
        var g = c.Graph;
        var axes = s.Axes;
        if (c.Inputs is not [var x, var y]) throw new ArgumentException($"Dot '{c.Name}' takes exactly 2 inputs, got {c.Inputs.Count}");
        int xAxis = (axes[0] % x.Rank + x.Rank) % x.Rank, yAxis = (axes[1] % y.Rank + y.Rank) % y.Rank;
        if (s.Normalize)
        {
            x = L2Normalize(g, x, xAxis);
            y = L2Normalize(g, y, yAxis);
        }
        var left = g.Transpose(x, [.. Enumerable.Range(0, x.Rank).Where(a => a != xAxis).Select(a => (long)a), xAxis]);
        var right = g.Transpose(y, [0, yAxis, .. Enumerable.Range(1, y.Rank - 1).Where(a => a != yAxis).Select(a => (long)a)]);
        long depth = left.Dim(-1);
        var product = g.MatMul(g.Reshape(left, 0, -1, depth), g.Reshape(right, 0, depth, -1));
        long[] shape = [0, .. left.Shape[1..^1], .. right.Shape[2..]];
        if (shape.Skip(1).Any(d => d < 0)) throw c.Unsupported("Dot needs the non-batch sizes of its inputs to be fixed");
        return OnnxLayerCall.Drop(g.Reshape(product, shape.Length == 1 ? [0, 1] : shape));
    }

    /// <summary>keras/src/ops/nn.py <c>normalize</c> for order 2: <c>x * min(rsqrt(sum(x^2)), 1 / epsilon)</c>.</summary>
    static OnnxValue L2Normalize(OnnxGraph g, OnnxValue x, int axis)
    {
        var squares = g.Reduce("ReduceSum", g.Mul(x, x), [axis], keepDims: true);
        var inverse = g.Div(g.Scalar(1), g.Unary("Sqrt", squares));
        return g.Mul(x, g.Binary("Min", inverse, g.Scalar(1 / DotSpec.Epsilon)));
    }
}
