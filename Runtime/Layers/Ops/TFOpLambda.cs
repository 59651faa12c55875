namespace KerasPort.Runtime.Layers.Ops;

/// <summary>
/// tf.keras 2.4+ <c>TFOpLambda</c>: a TensorFlow API call recorded as plain data (<c>function</c>, e.g.
/// <c>__operators__.add</c> or <c>math.reduce_mean</c>) with its arguments in the call kwargs. Nothing is
/// executed from the file: the function name selects one of the supported kernels, and any other name is an
/// <see cref="UnsupportedLayerException"/> naming the op.
/// </summary>
public sealed class TFOpLambda : KerasLayer
{
    static readonly Dictionary<string, string> Unary = new()
    {
        ["math.exp"] = "exp", ["math.log"] = "log", ["math.sqrt"] = "sqrt", ["math.rsqrt"] = "rsqrt", ["math.square"] = "square",
        ["math.abs"] = "abs", ["math.negative"] = "negative", ["__operators__.neg"] = "negative", ["math.sigmoid"] = "sigmoid",
        ["math.tanh"] = "tanh", ["nn.relu"] = "relu", ["math.sign"] = "sign", ["identity"] = "identity",
        ["math.floor"] = "floor", ["math.ceil"] = "ceil", ["math.round"] = "round",
    };

    static readonly Dictionary<string, string> Binary = new()
    {
        ["__operators__.add"] = "add", ["math.add"] = "add", ["math.subtract"] = "subtract", ["__operators__.sub"] = "subtract",
        ["math.multiply"] = "multiply", ["__operators__.mul"] = "multiply", ["math.truediv"] = "divide", ["math.divide"] = "divide",
        ["__operators__.truediv"] = "divide", ["math.maximum"] = "maximum", ["math.minimum"] = "minimum", ["math.pow"] = "power",
        ["linalg.matmul"] = "matmul", ["matmul"] = "matmul", ["math.greater"] = "greater", ["math.less"] = "less",
        ["math.equal"] = "equal", ["math.not_equal"] = "not_equal",
    };

    static readonly Dictionary<string, string> Reductions = new()
    {
        ["math.reduce_mean"] = "mean", ["reduce_mean"] = "mean", ["math.reduce_sum"] = "sum", ["reduce_sum"] = "sum",
        ["math.reduce_max"] = "max", ["math.reduce_min"] = "min", ["math.reduce_prod"] = "prod",
        ["math.reduce_any"] = "any", ["math.reduce_all"] = "all",
    };

    readonly string function;
    readonly Func<CallArguments, Tensor> compute;

    /// <summary>Builds the op <paramref name="spec"/> names.</summary>
    public TFOpLambda(LayerContext context, TFOpLambdaSpec spec) : base(context)
    {
        function = spec.Function;
        compute = Build();
    }

    Func<CallArguments, Tensor> Build()
    {
        if (Unary.TryGetValue(function, out var unary)) return a => OpKernels.Unary[unary](Operand(a, 0, "x"));
        if (Binary.TryGetValue(function, out var binary))
            return a =>
            {
                var x = Operand(a, 0, "x", "a");
                return OpKernels.Binary[binary](x, OpOperands.AsTensor(Argument(a, 1, "y", "b"), x, Name));
            };
        if (Reductions.TryGetValue(function, out var reduction))
            return a => OpKernels.Reduce(reduction, Operand(a, 0, "input_tensor"), OpOperands.Axes(Argument(a, 1, "axis") as JsonNode),
                Argument(a, 2, "keepdims") is JsonValue keep && (bool)keep);
        return function switch
        {
            "reshape" => a => Operand(a, 0, "tensor").reshape(OpOperands.Axes(Argument(a, 1, "shape") as JsonNode)!),
            "concat" => a => cat(a.Inputs.ToArray(), OpOperands.Axes(Argument(a, 99, "axis") as JsonNode)![0]),
            "expand_dims" => a => ExpandDims(Operand(a, 0, "input"), OpOperands.Axes(Argument(a, 1, "axis") as JsonNode)![0]),
            "squeeze" or "compat.v1.squeeze" => a => OpOperands.Axes(Argument(a, 1, "axis") as JsonNode) is { } axes
                ? axes.Select(x => x < 0 ? x + Operand(a, 0, "input").dim() : x).OrderDescending().Aggregate(Operand(a, 0, "input"), (t, x) => t.squeeze(x))
                : Operand(a, 0, "input").squeeze(),
            "transpose" or "compat.v1.transpose" => a => Operand(a, 0, "a").permute(OpOperands.Axes(Argument(a, 1, "perm") as JsonNode)!),
            "nn.softmax" => a => Operand(a, 0, "logits").softmax(OpOperands.Axes(Argument(a, 1, "axis") as JsonNode)?[0] ?? -1),
            "cast" => a => Operand(a, 0, "x").to_type(DTypes.Parse((string?)(Argument(a, 1, "dtype") as JsonNode) ?? "float32", Name)),
            "__operators__.getitem" => a => Slicing.Apply(Operand(a, 0, "tensor"), Argument(a, 1, "slice_spec"), Name),
            _ => throw new UnsupportedLayerException($"TFOpLambda:{function}", Name,
                $"TensorFlow op 'tf.{function}' is not supported; register a replacement with LayerRegistry.RegisterForLayer(\"{Name}\", ...)"),
        };
    }

    /// <summary>A call argument by position among the entry tensors, else by keyword.</summary>
    static object? Argument(CallArguments arguments, int position, params string[] names)
    {
        foreach (var name in names)
            if (arguments.Kwargs.TryGetValue(name, out var value)) return value;
        var positional = arguments.Inputs;
        return position < positional.Count ? positional[position] : null;
    }

    Tensor Operand(CallArguments arguments, int position, params string[] names) =>
        Argument(arguments, position, names) as Tensor ?? throw new FormatException($"op '{Name}' (tf.{function}): argument '{names[0]}' is not a tensor");

    static Tensor ExpandDims(Tensor x, long axis) => x.unsqueeze(axis < 0 ? axis + x.dim() + 1 : axis);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [compute(arguments)];
}
