namespace KerasPort.Converters.Onnx;

/// <summary>
/// ONNX operators (opset 17) as graph-building calls that infer their output's shape the way the operator
/// specification defines it. Unknown sizes (-1) propagate; broadcasting follows numpy rules.
/// </summary>
internal static class OnnxOps
{
    /// <summary>An elementwise operator of one input (shape and type kept).</summary>
    public static OnnxValue Unary(this OnnxGraph g, string op, OnnxValue x, params Proto.AttributeProto[] attributes) =>
        g.Node(op, [x], x.Type, x.Shape, attributes);

    /// <summary>A broadcasting elementwise operator of two inputs with the first input's type (Add, Sub, Mul, Div, Pow, Max, Min...).</summary>
    public static OnnxValue Binary(this OnnxGraph g, string op, OnnxValue a, OnnxValue b) =>
        g.Node(op, [a, b], a.Type, Broadcast(a.Shape, b.Shape));

    /// <summary>A broadcasting comparison or logical operator (Equal, Less, And, ...): bool output.</summary>
    public static OnnxValue Compare(this OnnxGraph g, string op, OnnxValue a, OnnxValue b) =>
        g.Node(op, [a, b], OnnxType.Bool, Broadcast(a.Shape, b.Shape));

    /// <summary><c>a + b</c>.</summary>
    public static OnnxValue Add(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Binary("Add", a, b);

    /// <summary><c>a - b</c>.</summary>
    public static OnnxValue Sub(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Binary("Sub", a, b);

    /// <summary><c>a * b</c>.</summary>
    public static OnnxValue Mul(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Binary("Mul", a, b);

    /// <summary><c>a / b</c>.</summary>
    public static OnnxValue Div(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Binary("Div", a, b);

    /// <summary><c>x * scalar</c>.</summary>
    public static OnnxValue Scale(this OnnxGraph g, OnnxValue x, double factor) => g.Mul(x, g.Scalar(factor));

    /// <summary>Numpy broadcasting of two shapes (-1 = unknown).</summary>
    public static long[] Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            long y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            shape[i] = x == 1 ? y : y == 1 ? x : x >= 0 ? x : y;
        }
        return shape;
    }

    /// <summary>Numpy-style matrix product (batched, broadcasting the leading axes).</summary>
    public static OnnxValue MatMul(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Node("MatMul", [a, b], a.Type, MatMulShape(a, b));

    /// <summary>The matrix product of two int8 values, exact in int32 (ONNX MatMulInteger without zero points).</summary>
    public static OnnxValue MatMulInteger(this OnnxGraph g, OnnxValue a, OnnxValue b) => g.Node("MatMulInteger", [a, b], OnnxType.Int32, MatMulShape(a, b));

    static long[] MatMulShape(OnnxValue a, OnnxValue b)
    {
        if (a.Rank == 1 && b.Rank == 1) return [];
        if (a.Rank == 1) return [.. b.Shape[..^2], b.Shape[^1]];
        if (b.Rank == 1) return a.Shape[..^1];
        return [.. Broadcast(a.Shape[..^2], b.Shape[..^2]), a.Shape[^2], b.Shape[^1]];
    }

    /// <summary>Permutes the axes.</summary>
    public static OnnxValue Transpose(this OnnxGraph g, OnnxValue x, params long[] perm)
    {
        if (perm.Select((p, i) => p == i).All(same => same)) return x;
        return g.Node("Transpose", [x], x.Type, perm.Select(p => x.Shape[p]).ToArray(), Attr.Ints("perm", perm));
    }

    /// <summary>
    /// Reshapes to <paramref name="target"/>, where 0 copies the input's size at that axis and one -1 is inferred
    /// (ONNX Reshape with allowzero=0).
    /// </summary>
    public static OnnxValue Reshape(this OnnxGraph g, OnnxValue x, params long[] target)
    {
        var shape = target.Select((d, i) => d == 0 ? x.Shape[i] : d).ToArray();
        int free = Array.IndexOf(target, -1L);
        bool allKnown = x.Shape.All(d => d >= 0);
        if (free >= 0 && target.Count(d => d == -1) == 1 && allKnown)
        {
            long known = shape.Where((d, i) => i != free).Aggregate(1L, (p, d) => p * d);
            if (shape.Where((d, i) => i != free).All(d => d >= 0) && known > 0) shape[free] = x.Shape.Aggregate(1L, (p, d) => p * d) / known;
        }
        else if (free >= 0 && !allKnown && target.Count(d => d == -1) == 1)
        {
            // The unknown input axes are all copied (0) or the inferred one stays unknown; sizes of known copied
            // axes cancel out when the remaining input axes are known.
            var copied = target.Select((d, i) => (d, i)).Where(p => p.d == 0).Select(p => p.i).ToHashSet();
            var rest = x.Shape.Where((_, i) => !copied.Contains(i)).ToArray();
            long fixedOut = shape.Where((d, i) => i != free && !copied.Contains(i)).Aggregate(1L, (p, d) => p * d);
            if (rest.All(d => d >= 0) && fixedOut > 0) shape[free] = rest.Aggregate(1L, (p, d) => p * d) / fixedOut;
        }
        return g.Node("Reshape", [x, g.Longs(target)], x.Type, shape);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>.</summary>
    public static OnnxValue Concat(this OnnxGraph g, IReadOnlyList<OnnxValue> values, int axis)
    {
        if (values.Count == 1) return values[0];
        int a = values[0].Axis(axis);
        var shape = values[0].Shape.ToArray();
        shape[a] = values.Any(v => v.Shape[a] < 0) ? -1 : values.Sum(v => v.Shape[a]);
        for (int i = 0; i < shape.Length; i++)
            if (i != a && shape[i] < 0) shape[i] = values.Select(v => v.Shape[i]).FirstOrDefault(d => d >= 0, -1);
        return g.Node("Concat", values.ToArray(), values[0].Type, shape, Attr.Int("axis", a));
    }

    /// <summary>Splits <paramref name="x"/> along <paramref name="axis"/> into pieces of <paramref name="sizes"/>.</summary>
    public static OnnxValue[] Split(this OnnxGraph g, OnnxValue x, int axis, params long[] sizes)
    {
        int a = x.Axis(axis);
        return g.Node("Split", [x, g.Longs(sizes)], sizes.Select(s =>
        {
            var shape = x.Shape.ToArray();
            shape[a] = s;
            return (x.Type, shape);
        }).ToList(), Attr.Int("axis", a));
    }

    /// <summary><paramref name="count"/> equal pieces along <paramref name="axis"/> (whose size must be known).</summary>
    public static OnnxValue[] SplitEqual(this OnnxGraph g, OnnxValue x, int axis, int count)
    {
        long size = x.Dim(axis);
        if (size < 0 || size % count != 0) throw new KerasPortException($"ONNX export: cannot split an axis of size {size} into {count} parts");
        return g.Split(x, axis, Enumerable.Repeat(size / count, count).ToArray());
    }

    /// <summary>Elements <paramref name="start"/> to <paramref name="end"/> (exclusive, clamped) with <paramref name="step"/> along <paramref name="axis"/>.</summary>
    public static OnnxValue Slice(this OnnxGraph g, OnnxValue x, int axis, long start, long end, long step = 1)
    {
        int a = x.Axis(axis);
        var shape = x.Shape.ToArray();
        long n = x.Shape[a];
        if (n >= 0)
        {
            long Clamp(long v, bool isEnd) => step > 0
                ? Math.Clamp(v < 0 ? v + n : v, 0, n)
                : Math.Clamp(v < 0 ? v + n : v, -1, n - 1);
            long s = Clamp(start, false), e = Clamp(end, true);
            shape[a] = step > 0 ? Math.Max(0, (e - s + step - 1) / step) : Math.Max(0, (s - e + (-step) - 1) / -step);
        }
        else if (start >= 0 && end >= 0 && end < long.MaxValue / 2 && step == 1) shape[a] = -1;
        return g.Node("Slice", [x, g.Longs(start), g.Longs(end), g.Longs(a), g.Longs(step)], x.Type, shape);
    }

    /// <summary>Removes axes of size 1.</summary>
    public static OnnxValue Squeeze(this OnnxGraph g, OnnxValue x, params int[] axes)
    {
        var resolved = axes.Select(x.Axis).ToHashSet();
        return g.Node("Squeeze", [x, g.Longs(resolved.Order().Select(a => (long)a).ToArray())], x.Type,
            x.Shape.Where((_, i) => !resolved.Contains(i)).ToArray());
    }

    /// <summary>Inserts axes of size 1 at <paramref name="axes"/> (positions in the output).</summary>
    public static OnnxValue Unsqueeze(this OnnxGraph g, OnnxValue x, params int[] axes)
    {
        int rank = x.Rank + axes.Length;
        var resolved = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        var shape = new List<long>();
        int next = 0;
        for (int i = 0; i < rank; i++) shape.Add(resolved.Contains(i) ? 1 : x.Shape[next++]);
        return g.Node("Unsqueeze", [x, g.Longs(resolved.Order().Select(a => (long)a).ToArray())], x.Type, shape.ToArray());
    }

    /// <summary>Converts the element type.</summary>
    public static OnnxValue Cast(this OnnxGraph g, OnnxValue x, OnnxType type) =>
        x.Type == type ? x : g.Node("Cast", [x], type, x.Shape, Attr.Int("to", (long)type));

    /// <summary>
    /// A reduction over <paramref name="axes"/> (all when empty). Opset 17 passes ReduceSum's axes as an input and
    /// the other reductions' as an attribute.
    /// </summary>
    public static OnnxValue Reduce(this OnnxGraph g, string op, OnnxValue x, IEnumerable<int> axes, bool keepDims)
    {
        var resolved = axes.Select(x.Axis).Distinct().Order().Select(a => (long)a).ToArray();
        if (resolved.Length == 0) resolved = Enumerable.Range(0, x.Rank).Select(a => (long)a).ToArray();
        var shape = keepDims
            ? x.Shape.Select((d, i) => resolved.Contains(i) ? 1 : d).ToArray()
            : x.Shape.Where((_, i) => !resolved.Contains(i)).ToArray();
        var keep = Attr.Int("keepdims", keepDims ? 1 : 0);
        return op == "ReduceSum" || g.Opset >= 18
            ? g.Node(op, [x, g.Longs(resolved)], x.Type, shape, keep)
            : g.Node(op, [x], x.Type, shape, keep, Attr.Ints("axes", resolved));
    }

    /// <summary>Softmax along one axis.</summary>
    public static OnnxValue Softmax(this OnnxGraph g, OnnxValue x, int axis) => g.Unary("Softmax", x, Attr.Int("axis", x.Axis(axis)));

    /// <summary>Selects <paramref name="a"/> where <paramref name="condition"/> holds, else <paramref name="b"/>.</summary>
    public static OnnxValue Where(this OnnxGraph g, OnnxValue condition, OnnxValue a, OnnxValue b) =>
        g.Node("Where", [condition, a, b], a.Type, Broadcast(condition.Shape, Broadcast(a.Shape, b.Shape)));

    /// <summary>Takes entries of <paramref name="data"/> at <paramref name="indices"/> along <paramref name="axis"/>.</summary>
    public static OnnxValue Gather(this OnnxGraph g, OnnxValue data, OnnxValue indices, int axis)
    {
        int a = data.Axis(axis);
        return g.Node("Gather", [data, indices], data.Type, [.. data.Shape[..a], .. indices.Shape, .. data.Shape[(a + 1)..]], Attr.Int("axis", a));
    }

    /// <summary>
    /// Pads with <paramref name="value"/>: <paramref name="pads"/> holds a (before, after) pair per axis, negative to crop.
    /// </summary>
    public static OnnxValue Pad(this OnnxGraph g, OnnxValue x, (long Before, long After)[] pads, double value = 0)
    {
        if (pads.All(p => p.Before == 0 && p.After == 0)) return x;
        var shape = x.Shape.Select((d, i) => d < 0 ? -1 : d + pads[i].Before + pads[i].After).ToArray();
        long[] flat = [.. pads.Select(p => p.Before), .. pads.Select(p => p.After)];
        return g.Node("Pad", [x, g.Longs(flat), value == 0 ? null : g.Scalar(value)], x.Type, shape, Attr.String("mode", "constant"));
    }

    /// <summary>Clips to [<paramref name="min"/>, <paramref name="max"/>] (null: unbounded).</summary>
    public static OnnxValue Clip(this OnnxGraph g, OnnxValue x, double? min, double? max) =>
        g.Node("Clip", [x, min is { } lo ? g.Scalar(lo) : null, max is { } hi ? g.Scalar(hi) : null], x.Type, x.Shape);

    /// <summary>Flips <paramref name="axis"/> (whose size must be known).</summary>
    public static OnnxValue Reverse(this OnnxGraph g, OnnxValue x, int axis) => g.Slice(x, axis, -1, long.MinValue / 2, -1);

    /// <summary>Broadcasts to <paramref name="shape"/> (ONNX Expand).</summary>
    public static OnnxValue Expand(this OnnxGraph g, OnnxValue x, OnnxValue shapeValue, long[] shape) =>
        g.Node("Expand", [x, shapeValue], x.Type, Broadcast(x.Shape, shape));

    /// <summary>The run-time shape of <paramref name="x"/> as an int64 vector.</summary>
    public static OnnxValue ShapeOf(this OnnxGraph g, OnnxValue x) => g.Node("Shape", [x], OnnxType.Int64, [x.Rank]);

    /// <summary>
    /// Einstein summation of two operands (ONNX Einsum), with the output shape read off the equation (letters and
    /// one <c>...</c> per term).
    /// </summary>
    public static OnnxValue Einsum(this OnnxGraph g, string equation, OnnxValue a, OnnxValue b)
    {
        var sides = equation.Replace(" ", "").Split("->");
        var terms = sides[0].Split(',');
        var sizes = new Dictionary<char, long>();
        long[] ellipsis = [];
        foreach (var (term, value) in terms.Zip(new[] { a, b }))
        {
            int letters = term.Replace("...", "").Length;
            int position = 0;
            for (int i = 0; i < term.Length; i++)
            {
                if (term[i] == '.')
                {
                    int count = value.Rank - letters;
                    ellipsis = Broadcast(ellipsis, value.Shape[position..(position + count)]);
                    position += count;
                    i += 2;
                    continue;
                }
                long size = value.Shape[position++];
                if (!sizes.TryGetValue(term[i], out var known) || known < 0 || known == 1) sizes[term[i]] = size;
            }
        }
        var shape = new List<long>();
        for (int i = 0; i < sides[1].Length; i++)
        {
            if (sides[1][i] == '.') { shape.AddRange(ellipsis); i += 2; continue; }
            shape.Add(sizes[sides[1][i]]);
        }
        return g.Node("Einsum", [a, b], a.Type, shape.ToArray(), Attr.String("equation", equation.Replace(" ", "")));
    }
}
