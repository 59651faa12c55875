namespace KerasPort.Runtime.Layers.Ops;

/// <summary>
/// The tensor computations behind graph op nodes, by one canonical (numpy-style) name. Keras 3 <c>keras.ops</c>
/// nodes, tf.keras <c>TFOpLambda</c> and TF 1.x <c>TensorFlowOpLayer</c> all map their own op names onto these.
/// </summary>
internal static class OpKernels
{
    /// <summary>Elementwise functions of one tensor.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tensor>> Unary = new Dictionary<string, Func<Tensor, Tensor>>
    {
        ["abs"] = x => x.abs(),
        ["negative"] = x => x.neg(),
        ["exp"] = x => x.exp(),
        ["log"] = x => x.log(),
        ["sqrt"] = x => x.sqrt(),
        ["rsqrt"] = x => x.rsqrt(),
        ["square"] = x => x.Squared(),
        ["sign"] = x => x.sign(),
        ["tanh"] = x => x.tanh(),
        ["sigmoid"] = x => x.sigmoid(),
        ["relu"] = x => x.relu(),
        ["floor"] = x => x.floor(),
        ["ceil"] = x => x.ceil(),
        ["round"] = x => x.round(),
        ["logical_not"] = x => x.logical_not(),
        ["identity"] = x => x,
    };

    /// <summary>Elementwise functions of two broadcast tensors, and matmul.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tensor, Tensor>> Binary = new Dictionary<string, Func<Tensor, Tensor, Tensor>>
    {
        ["add"] = (a, b) => a.Plus(b),
        ["subtract"] = (a, b) => a - b,
        ["multiply"] = (a, b) => a * b,
        ["divide"] = (a, b) => (a.is_floating_point() ? a : a.to_type(ScalarType.Float32)) / b,
        ["floor_divide"] = (a, b) => a.floor_divide(b),
        ["power"] = (a, b) => a.pow(b),
        ["maximum"] = (a, b) => a.maximum(b),
        ["minimum"] = (a, b) => a.minimum(b),
        ["equal"] = (a, b) => a.eq(b),
        ["not_equal"] = (a, b) => a.ne(b),
        ["greater"] = (a, b) => a.gt(b),
        ["greater_equal"] = (a, b) => a.ge(b),
        ["less"] = (a, b) => a.lt(b),
        ["less_equal"] = (a, b) => a.le(b),
        ["logical_and"] = (a, b) => a.logical_and(b),
        ["logical_or"] = (a, b) => a.logical_or(b),
        ["matmul"] = (a, b) => a.MatmulChecked(b),
    };

    /// <summary>Reductions, by name.</summary>
    public static readonly IReadOnlySet<string> Reductions = new HashSet<string> { "mean", "sum", "max", "min", "prod", "any", "all" };

    /// <summary>Reduces <paramref name="x"/> over <paramref name="axes"/> (all axes when null).</summary>
    public static Tensor Reduce(string name, Tensor x, long[]? axes, bool keepDims)
    {
        axes ??= Enumerable.Range(0, (int)x.dim()).Select(i => (long)i).ToArray();
        return name switch
        {
            "mean" => (x.is_floating_point() ? x : x.to_type(ScalarType.Float32)).mean(axes, keepDims),
            "sum" => x.sum(axes, keepDims),
            "max" => x.amax(axes, keepDims),
            "min" => x.amin(axes, keepDims),
            "prod" => OneAxisAtATime(x, axes, keepDims, (t, a, k) => t.prod(a, k)),
            "any" => OneAxisAtATime(x.to_type(ScalarType.Bool), axes, keepDims, (t, a, k) => t.any(a, k)),
            "all" => OneAxisAtATime(x.to_type(ScalarType.Bool), axes, keepDims, (t, a, k) => t.all(a, k)),
            _ => throw new ArgumentException($"unknown reduction '{name}'"),
        };
    }

    /// <summary>Torch's any/all/prod take one axis at a time: reduce the highest axis first so the others keep their numbers.</summary>
    static Tensor OneAxisAtATime(Tensor x, long[] axes, bool keepDims, Func<Tensor, long, bool, Tensor> reduce)
    {
        long rank = x.dim();
        foreach (var axis in axes.Select(a => a < 0 ? a + rank : a).Distinct().OrderDescending())
            x = reduce(x, axis, keepDims);
        return x;
    }
}
