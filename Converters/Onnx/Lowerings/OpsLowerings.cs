namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Raw <c>keras.ops</c> nodes of Keras 3 functional configs as ONNX nodes (reference semantics:
/// Runtime/Layers/Ops/KerasOp.cs and OpKernels.cs). Numbers among the operands become constants of the tensor
/// operand's type where that keeps their value (numpy's weak scalar typing), else float32.
/// </summary>
internal static class OpsLowerings
{
    static readonly Dictionary<string, string> Unary = new()
    {
        ["Absolute"] = "Abs", ["Abs"] = "Abs", ["Negative"] = "Neg", ["Exp"] = "Exp", ["Log"] = "Log", ["Sqrt"] = "Sqrt",
        ["Sign"] = "Sign", ["Tanh"] = "Tanh", ["Sigmoid"] = "Sigmoid", ["Relu"] = "Relu", ["Floor"] = "Floor", ["Ceil"] = "Ceil",
        ["Round"] = "Round", ["LogicalNot"] = "Not",
    };

    static readonly Dictionary<string, string> Arithmetic = new()
    {
        ["Add"] = "Add", ["Subtract"] = "Sub", ["Multiply"] = "Mul", ["Power"] = "Pow", ["Maximum"] = "Max", ["Minimum"] = "Min",
        ["Matmul"] = "MatMul",
    };

    static readonly Dictionary<string, string> Comparisons = new()
    {
        ["Equal"] = "Equal", ["Greater"] = "Greater", ["GreaterEqual"] = "GreaterOrEqual", ["Less"] = "Less", ["LessEqual"] = "LessOrEqual",
        ["LogicalAnd"] = "And", ["LogicalOr"] = "Or",
    };

    /// <summary>Adds the op lowerings to <paramref name="table"/> under <see cref="OnnxLowerings.OpPrefix"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        foreach (var (name, op) in Unary) table[OnnxLowerings.OpPrefix + name] = c => OnnxLayerCall.Drop(UnaryOp(c, op));
        table[OnnxLowerings.OpPrefix + "Square"] = c => OnnxLayerCall.Drop(c.Graph.Mul(First(c), First(c)));
        foreach (var (name, op) in Arithmetic) table[OnnxLowerings.OpPrefix + name] = c => OnnxLayerCall.Drop(BinaryOp(c, op));
        foreach (var (name, op) in Comparisons) table[OnnxLowerings.OpPrefix + name] = c => OnnxLayerCall.Drop(BinaryOp(c, op));
        table[OnnxLowerings.OpPrefix + "NotEqual"] = c => OnnxLayerCall.Drop(c.Graph.Unary("Not", BinaryOp(c, "Equal")));
        table[OnnxLowerings.OpPrefix + "Divide"] = c => OnnxLayerCall.Drop(BinaryOp(c, "Div", floatOnly: true));
        table[OnnxLowerings.OpPrefix + "TrueDivide"] = c => OnnxLayerCall.Drop(BinaryOp(c, "Div", floatOnly: true));
        foreach (var name in new[] { "Mean", "Sum", "Max", "Min", "Prod", "Any", "All" }) table[OnnxLowerings.OpPrefix + name] = Reduction;
        table[OnnxLowerings.OpPrefix + "Reshape"] = c => OnnxLayerCall.Drop(c.Graph.Reshape(First(c), Axes(c.Config["newshape"] ?? Constant(c, 1))
            ?? throw new FormatException($"op '{c.Name}' has no newshape")));
        table[OnnxLowerings.OpPrefix + "Transpose"] = c => OnnxLayerCall.Drop(c.Graph.Transpose(First(c),
            Axes(c.Config["axes"]) ?? Enumerable.Range(0, First(c).Rank).Reverse().Select(i => (long)i).ToArray()));
        table[OnnxLowerings.OpPrefix + "ExpandDims"] = c =>
        {
            var x = First(c);
            long axis = Axes(c.Config["axis"])![0];
            return OnnxLayerCall.Drop(c.Graph.Unsqueeze(x, (int)(axis < 0 ? axis + x.Rank + 1 : axis)));
        };
        table[OnnxLowerings.OpPrefix + "Squeeze"] = Squeeze;
        table[OnnxLowerings.OpPrefix + "Concatenate"] = c => OnnxLayerCall.Drop(c.Graph.Concat(c.Inputs, (int)(Axes(c.Config["axis"])?[0] ?? 0)));
        table[OnnxLowerings.OpPrefix + "Stack"] = c =>
        {
            int axis = (int)(Axes(c.Config["axis"])?[0] ?? 0);
            return OnnxLayerCall.Drop(c.Graph.Concat(c.Inputs.Select(x => c.Graph.Unsqueeze(x, axis < 0 ? axis + x.Rank + 1 : axis)).ToList(), axis));
        };
        table[OnnxLowerings.OpPrefix + "GetItem"] = GetItem;
        table[OnnxLowerings.OpPrefix + "Cast"] = c => OnnxLayerCall.Drop(c.Graph.Cast(First(c), c.String("dtype", "float32") switch
        {
            "float32" or "float" => OnnxType.Float,
            "int32" => OnnxType.Int32,
            "int64" or "int" => OnnxType.Int64,
            "bool" => OnnxType.Bool,
            var other => throw c.Unsupported($"cast to dtype '{other}'"),
        }));
        table[OnnxLowerings.OpPrefix + "Clip"] = c => OnnxLayerCall.Drop(c.Graph.Clip(First(c),
            c.Has("x_min") ? c.Double("x_min", 0) : null, c.Has("x_max") ? c.Double("x_max", 0) : null));
        table[OnnxLowerings.OpPrefix + "Softmax"] = c => OnnxLayerCall.Drop(c.Graph.Softmax(First(c), (int)(Axes(c.Config["axis"])?[0] ?? -1)));
    }

    static OnnxValue First(OnnxLayerCall c) => c.Args.Count > 0 && c.Args[0] is OnnxValue v ? v
        : throw new FormatException($"op '{c.Name}' ({c.ClassName}): first argument is not a tensor");

    static JsonNode? Constant(OnnxLayerCall c, int index) => index < c.Args.Count ? c.Args[index] as JsonNode : null;

    /// <summary>An integer or list of integers; null when absent.</summary>
    static long[]? Axes(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(n => (long)n!).ToArray(),
        JsonValue value => [(long)value],
        _ => null,
    };

    static OnnxValue UnaryOp(OnnxLayerCall c, string op)
    {
        var x = First(c);
        if (op == "Not") x = c.Graph.Cast(x, OnnxType.Bool);
        return c.Graph.Unary(op, x);
    }

    /// <summary>
    /// A binary op of two operands (tensors or numbers). A number takes the tensor's type when that keeps its value,
    /// else float32; operands of different types are promoted (float over integer). Logical ops work on bools.
    /// </summary>
    static OnnxValue BinaryOp(OnnxLayerCall c, string op, bool floatOnly = false)
    {
        var g = c.Graph;
        var like = c.Args.OfType<OnnxValue>().FirstOrDefault() ?? throw new FormatException($"op '{c.Name}' has no tensor operand");
        OnnxValue Operand(object? value) => value switch
        {
            OnnxValue v => v,
            JsonValue j when j.TryGetValue<bool>(out var flag) => g.Bools([flag]),
            JsonValue j => j.GetValue<double>() is var d && (like.Type == OnnxType.Float || d == Math.Floor(d)) ? g.ScalarOf(like.Type, d) : g.Scalar(d),
            JsonArray list => g.Floats(Numbers(list).ToArray(), ShapeOf(list)),
            _ => throw new FormatException($"op '{c.Name}': operand {value ?? "null"} is neither a tensor nor a number"),
        };
        var a = Operand(c.Args[0]);
        var b = Operand(c.Args.Count > 1 ? c.Args[1] : null);
        if (op is "And" or "Or") return g.Compare(op, g.Cast(a, OnnxType.Bool), g.Cast(b, OnnxType.Bool));
        var type = floatOnly || a.Type == OnnxType.Float || b.Type == OnnxType.Float ? OnnxType.Float
            : a.Type == b.Type ? a.Type : OnnxType.Int64;
        (a, b) = (g.Cast(a, type), g.Cast(b, type));
        if (Comparisons.ContainsValue(op) || op == "Equal") return g.Compare(op, a, b);
        return op == "MatMul" ? g.MatMul(a, b) : g.Binary(op, a, b);
    }

    /// <summary>The numbers of a nested JSON list, row-major.</summary>
    static IEnumerable<float> Numbers(JsonNode node) => node is JsonArray list ? list.SelectMany(n => Numbers(n!)) : [(float)node.GetValue<double>()];

    /// <summary>The shape of a nested JSON list.</summary>
    static long[] ShapeOf(JsonNode node) => node is JsonArray list ? [list.Count, .. list.Count > 0 ? ShapeOf(list[0]!) : []] : [];

    /// <summary>Mean, Sum, Max, Min, Prod, Any, All over <c>axis</c> (all axes when absent); Any/All work on bools.</summary>
    static OnnxLowered Reduction(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = First(c);
        var axes = (Axes(c.Config["axis"]) ?? Axes(Constant(c, 1)))?.Select(a => (int)a).ToArray() ?? [];
        bool keepDims = c.Bool("keepdims", false);
        if (c.ClassName is "Any" or "All")
        {
            var asFloat = g.Cast(g.Cast(x, OnnxType.Bool), OnnxType.Float);
            return OnnxLayerCall.Drop(g.Cast(g.Reduce(c.ClassName == "Any" ? "ReduceMax" : "ReduceMin", asFloat, axes, keepDims), OnnxType.Bool));
        }
        var op = c.ClassName switch { "Mean" => "ReduceMean", "Sum" => "ReduceSum", "Max" => "ReduceMax", "Min" => "ReduceMin", _ => "ReduceProd" };
        if (c.ClassName == "Mean") x = g.Cast(x, OnnxType.Float);
        return OnnxLayerCall.Drop(g.Reduce(op, x, axes, keepDims));
    }

    static OnnxLowered Squeeze(OnnxLayerCall c)
    {
        var x = First(c);
        var axes = Axes(c.Config["axis"])?.Select(a => (int)a).ToArray();
        if (axes is null)
        {
            if (x.Shape.Any(d => d < 0) && x.Shape.Skip(1).Any(d => d < 0)) throw c.Unsupported("squeezing every size-1 axis needs fixed sizes");
            axes = Enumerable.Range(0, x.Rank).Where(a => x.Shape[a] == 1).ToArray();
        }
        return OnnxLayerCall.Drop(c.Graph.Squeeze(x, axes));
    }

    /// <summary>Python indexing (<c>x[:, 1:3, None, ..., 0]</c>) as Keras 3 serializes it for GetItem nodes.</summary>
    static OnnxLowered GetItem(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = First(c);
        var key = c.Args.Count > 1 ? c.Args[1] : null;
        var parts = key is IReadOnlyList<object?> list ? list : [key];
        static bool IsEllipsis(object? p) => p is JsonObject o && (string?)o["class_name"] == "__ellipsis__"
            || p is JsonValue v && v.TryGetValue<string>(out var s) && s is "..." or "Ellipsis";
        int consumed = parts.Count(p => p is not null && !IsEllipsis(p));
        int axis = 0;
        var squeeze = new List<int>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case null:
                    x = g.Unsqueeze(x, axis);
                    axis++;
                    break;
                case var e when IsEllipsis(e):
                    axis += x.Rank - axis - (consumed - parts.TakeWhile(p => !ReferenceEquals(p, e)).Count(p => p is not null && !IsEllipsis(p)));
                    break;
                case JsonObject spec when (string?)spec["class_name"] == "__slice__":
                    {
                        long? start = (long?)spec["config"]?["start"], stop = (long?)spec["config"]?["stop"], step = (long?)spec["config"]?["step"];
                        long s = step ?? 1;
                        if (start is not null || stop is not null || s != 1)
                            x = g.Slice(x, axis, start ?? (s > 0 ? 0 : -1), stop ?? (s > 0 ? long.MaxValue : long.MinValue / 2), s);
                        axis++;
                        break;
                    }
                case JsonValue index:
                    {
                        long i = (long)index;
                        x = g.Slice(x, axis, i, i == -1 ? long.MaxValue : i + 1);
                        squeeze.Add(axis);
                        axis++;
                        break;
                    }
                default:
                    throw c.Unsupported($"index {part}");
            }
        }
        return OnnxLayerCall.Drop(squeeze.Count > 0 ? g.Squeeze(x, [.. squeeze]) : x);
    }
}
