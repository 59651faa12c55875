namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Raw <c>keras.ops</c> nodes of Keras 3 functional configs as ONNX nodes (reference semantics:
/// Runtime/Layers/Ops/KerasOp.cs and OpKernels.cs). Numbers among the operands become constants of the tensor
/// operand's type where that keeps their value (numpy's weak scalar typing), else float32.
/// </summary>
internal static class OpsLowerings
{
    /// <summary>The ONNX op of each <see cref="UnaryOpSpec"/> function (<c>square</c> is x·x).</summary>
    static readonly Dictionary<string, string> Unary = new()
    {
        ["abs"] = "Abs", ["negative"] = "Neg", ["exp"] = "Exp", ["log"] = "Log", ["sqrt"] = "Sqrt", ["sign"] = "Sign",
        ["tanh"] = "Tanh", ["sigmoid"] = "Sigmoid", ["relu"] = "Relu", ["floor"] = "Floor", ["ceil"] = "Ceil",
        ["round"] = "Round", ["logical_not"] = "Not",
    };

    /// <summary>The ONNX op of each arithmetic <see cref="BinaryOpSpec"/> function.</summary>
    static readonly Dictionary<string, string> Arithmetic = new()
    {
        ["add"] = "Add", ["subtract"] = "Sub", ["multiply"] = "Mul", ["power"] = "Pow", ["maximum"] = "Max", ["minimum"] = "Min",
        ["matmul"] = "MatMul",
    };

    /// <summary>The ONNX op of each comparison and logical <see cref="BinaryOpSpec"/> function (<c>not_equal</c> is Not(Equal)).</summary>
    static readonly Dictionary<string, string> Comparisons = new()
    {
        ["equal"] = "Equal", ["greater"] = "Greater", ["greater_equal"] = "GreaterOrEqual", ["less"] = "Less", ["less_equal"] = "LessOrEqual",
        ["logical_and"] = "And", ["logical_or"] = "Or",
    };

    /// <summary>The ONNX reduction of each <see cref="ReductionOpSpec"/> function (<c>any</c>/<c>all</c> reduce bools as floats).</summary>
    static readonly Dictionary<string, string> Reductions = new()
    {
        ["mean"] = "ReduceMean", ["sum"] = "ReduceSum", ["max"] = "ReduceMax", ["min"] = "ReduceMin", ["prod"] = "ReduceProd",
        ["any"] = "ReduceMax", ["all"] = "ReduceMin",
    };

    /// <summary>Adds the op lowerings to <paramref name="table"/>, under the specs' <c>ops.</c> class names.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<UnaryOpSpec>(table, (c, s) => OnnxLayerCall.Drop(UnaryOp(c, s.Function)));
        OnnxLowerings.Add<BinaryOpSpec>(table, (c, s) => OnnxLayerCall.Drop(BinaryOp(c, s.Function)));
        OnnxLowerings.Add<ReductionOpSpec>(table, Reduction);
        OnnxLowerings.Add<ReshapeOpSpec>(table, (c, s) => OnnxLayerCall.Drop(c.Graph.Reshape(First(c), s.NewShape ?? Axes(Constant(c, 1))
            ?? throw new FormatException($"op '{c.Name}' has no newshape"))));
        OnnxLowerings.Add<TransposeOpSpec>(table, (c, s) => OnnxLayerCall.Drop(c.Graph.Transpose(First(c),
            s.Axes ?? Enumerable.Range(0, First(c).Rank).Reverse().Select(i => (long)i).ToArray())));
        OnnxLowerings.Add<ExpandDimsOpSpec>(table, (c, s) =>
        {
            var x = First(c);
            return OnnxLayerCall.Drop(c.Graph.Unsqueeze(x, (int)(s.Axis < 0 ? s.Axis + x.Rank + 1 : s.Axis)));
        });
        OnnxLowerings.Add<SqueezeOpSpec>(table, Squeeze);
        OnnxLowerings.Add<JoinOpSpec>(table, (c, s) =>
        {
            int axis = (int)s.Axis;
            var inputs = s.Stack ? c.Inputs.Select(x => c.Graph.Unsqueeze(x, axis < 0 ? axis + x.Rank + 1 : axis)).ToList() : c.Inputs;
            return OnnxLayerCall.Drop(c.Graph.Concat(inputs, axis));
        });
        OnnxLowerings.Add<GetItemOpSpec>(table, (c, _) => GetItem(c));
        OnnxLowerings.Add<CastOpSpec>(table, (c, s) => OnnxLayerCall.Drop(c.Graph.Cast(First(c), s.DType switch
        {
            "float32" or "float" => OnnxType.Float,
            "int32" => OnnxType.Int32,
            "int64" or "int" => OnnxType.Int64,
            "bool" => OnnxType.Bool,
            var other => throw c.Unsupported($"cast to dtype '{other}'"),
        })));
        OnnxLowerings.Add<ClipOpSpec>(table, (c, s) => OnnxLayerCall.Drop(c.Graph.Clip(First(c), s.Min, s.Max)));
        OnnxLowerings.Add<SoftmaxOpSpec>(table, (c, s) => OnnxLayerCall.Drop(c.Graph.Softmax(First(c), (int)s.Axis)));
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

    static OnnxValue UnaryOp(OnnxLayerCall c, string function)
    {
        var x = First(c);
        if (function == "square") return c.Graph.Mul(x, x);
        var op = Unary.TryGetValue(function, out var unary) ? unary : throw c.Unsupported($"keras.ops function '{function}'");
        if (op == "Not") x = c.Graph.Cast(x, OnnxType.Bool);
        return c.Graph.Unary(op, x);
    }

    /// <summary>The binary op of <paramref name="function"/>: <c>not_equal</c> is Not(Equal), <c>divide</c> always divides floats.</summary>
    static OnnxValue BinaryOp(OnnxLayerCall c, string function) => function switch
    {
        "not_equal" => c.Graph.Unary("Not", OnnxBinary(c, "Equal", floatOnly: false)),
        "divide" => OnnxBinary(c, "Div", floatOnly: true),
        _ when Arithmetic.TryGetValue(function, out var op) => OnnxBinary(c, op, floatOnly: false),
        _ when Comparisons.TryGetValue(function, out var op) => OnnxBinary(c, op, floatOnly: false),
        _ => throw c.Unsupported($"keras.ops function '{function}'"),
    };

    /// <summary>
    /// The ONNX binary op <paramref name="op"/> of two operands (tensors or numbers). A number takes the tensor's type
    /// when that keeps its value, else float32; operands of different types are promoted (float over integer). Logical
    /// ops work on bools.
    /// </summary>
    static OnnxValue OnnxBinary(OnnxLayerCall c, string op, bool floatOnly)
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
    static OnnxLowered Reduction(OnnxLayerCall c, ReductionOpSpec spec)
    {
        var g = c.Graph;
        var x = First(c);
        var axes = (spec.Axes ?? Axes(Constant(c, 1)))?.Select(a => (int)a).ToArray() ?? [];
        var op = Reductions[spec.Function];
        if (spec.Function is "any" or "all")
            return OnnxLayerCall.Drop(g.Cast(g.Reduce(op, g.Cast(g.Cast(x, OnnxType.Bool), OnnxType.Float), axes, spec.KeepDims), OnnxType.Bool));
        if (spec.Function == "mean") x = g.Cast(x, OnnxType.Float);
        return OnnxLayerCall.Drop(g.Reduce(op, x, axes, spec.KeepDims));
    }

    static OnnxLowered Squeeze(OnnxLayerCall c, SqueezeOpSpec spec)
    {
        var x = First(c);
        var axes = spec.Axes?.Select(a => (int)a).ToArray();
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
