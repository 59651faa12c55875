namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Dot as a batched ONNX MatMul (reference semantics: Runtime/Layers/Merging/Dot.cs).</summary>
internal static class DotLowering
{
    /// <summary>
    /// Dot: batchwise dot product over <c>axes</c>, the contracted axis moved last in the first input and first (after the
    /// batch) in the second, then a batched MatMul (keras/src/layers/merging/dot.py <c>batch_dot</c>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, DotSpec s)
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
