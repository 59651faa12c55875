namespace KerasPort.Runtime.Layers.Ops;

/// <summary>
/// A raw <c>keras.ops</c> call that Keras 3 writes into a functional config as its own node (module
/// <c>keras.src.ops.*</c>): e.g. <c>x * 2.0</c> becomes a <c>Multiply</c> op with an inline constant, which is
/// not the Multiply layer. The op's config holds its keyword settings (axis, keepdims, newshape...).
/// </summary>
public sealed class KerasOp : KerasLayer
{
    static readonly Dictionary<string, string> UnaryOps = new()
    {
        ["Absolute"] = "abs", ["Abs"] = "abs", ["Negative"] = "negative", ["Exp"] = "exp", ["Log"] = "log",
        ["Sqrt"] = "sqrt", ["Square"] = "square", ["Sign"] = "sign", ["Tanh"] = "tanh", ["Sigmoid"] = "sigmoid",
        ["Relu"] = "relu", ["Floor"] = "floor", ["Ceil"] = "ceil", ["Round"] = "round", ["LogicalNot"] = "logical_not",
    };

    static readonly Dictionary<string, string> BinaryOps = new()
    {
        ["Add"] = "add", ["Subtract"] = "subtract", ["Multiply"] = "multiply", ["Divide"] = "divide", ["TrueDivide"] = "divide",
        ["FloorDivide"] = "floor_divide", ["Power"] = "power", ["Maximum"] = "maximum", ["Minimum"] = "minimum",
        ["Equal"] = "equal", ["NotEqual"] = "not_equal", ["Greater"] = "greater", ["GreaterEqual"] = "greater_equal",
        ["Less"] = "less", ["LessEqual"] = "less_equal", ["LogicalAnd"] = "logical_and", ["LogicalOr"] = "logical_or",
        ["Matmul"] = "matmul",
    };

    static readonly Dictionary<string, string> Reductions = new()
    {
        ["Mean"] = "mean", ["Sum"] = "sum", ["Max"] = "max", ["Min"] = "min", ["Prod"] = "prod", ["Any"] = "any", ["All"] = "all",
    };

    static readonly string[] ShapeOps = ["Reshape", "Transpose", "ExpandDims", "Squeeze", "Concatenate", "Stack", "GetItem", "Cast", "Clip", "Softmax", "ZerosLike", "OnesLike", "Gelu"];

    /// <summary>Every op class name this node implements.</summary>
    public static IEnumerable<string> ClassNames => UnaryOps.Keys.Concat(BinaryOps.Keys).Concat(Reductions.Keys).Concat(ShapeOps);

    readonly Func<CallArguments, Tensor> compute;

    /// <summary>Builds the op node.</summary>
    public KerasOp(LayerContext context) : base(context) => compute = Build(context);

    Func<CallArguments, Tensor> Build(LayerContext context)
    {
        var op = context.ClassName;
        var axes = OpOperands.Axes(context.Config["axis"]);
        bool keepDims = context.Bool("keepdims", false);
        if (UnaryOps.TryGetValue(op, out var unary))
            return a => OpKernels.Unary[unary](First(a));
        if (BinaryOps.TryGetValue(op, out var binary))
            return a => BinaryCall(binary, a);
        if (Reductions.TryGetValue(op, out var reduction))
            return a => OpKernels.Reduce(reduction, First(a), axes ?? OpOperands.Axes(a.Constant(1)), keepDims);
        return op switch
        {
            // keras.ops.reshape's newshape includes the batch axis.
            "Reshape" => a => First(a).reshape(OpOperands.Axes(context.Config["newshape"] ?? a.Constant(1))!),
            "Transpose" => a => OpOperands.Axes(context.Config["axes"]) is { } order ? First(a).permute(order) : First(a).permute(Reversed(First(a))),
            "ExpandDims" => a => First(a).unsqueeze(axes![0] < 0 ? axes[0] + First(a).dim() + 1 : axes[0]),
            "Squeeze" => a => axes is null ? First(a).squeeze() : Squeeze(First(a), axes),
            "Concatenate" => a => cat(a.Inputs.ToArray(), axes?[0] ?? 0),
            "Stack" => a => stack(a.Inputs.ToArray(), axes?[0] ?? 0),
            "GetItem" => a => Slicing.Apply(First(a), a.Args.Count > 1 ? a.Args[1] : null, Name),
            "Cast" => a => First(a).to_type(DTypes.Parse(context.String("dtype") ?? "float32", Name)),
            "Clip" => a => First(a).clamp(Of(context.Double("x_min", double.NegativeInfinity)), Of(context.Double("x_max", double.PositiveInfinity))),
            "Softmax" => a => First(a).softmax(axes?[0] ?? -1),
            // keras/src/ops/nn.py Gelu: approximate (torch's tanh form) unless the config says otherwise.
            "Gelu" => context.Bool("approximate", true)
                ? a => nn.functional.gelu(First(a), TorchSharp.Modules.GELU.Approximate.tanh)
                : a => nn.functional.gelu(First(a)),
            // Keras 3 writes these into configs where Concatenate's mask is built (concatenate.py compute_mask).
            "ZerosLike" or "OnesLike" => a => (op == "ZerosLike" ? zeros_like(First(a)) : ones_like(First(a)))
                .to_type(context.String("dtype") is { } dtype ? DTypes.Parse(dtype, Name) : First(a).dtype),
            _ => throw new UnsupportedLayerException(LayerContext.OpPrefix + op, context.Name),
        };
    }

    Tensor BinaryCall(string name, CallArguments arguments)
    {
        var left = arguments.Args[0] as Tensor;
        var right = arguments.Args.Count > 1 ? arguments.Args[1] : null;
        var rightTensor = right as Tensor;
        var like = left ?? rightTensor;
        return OpKernels.Binary[name](OpOperands.AsTensor(arguments.Args[0], like, Name), OpOperands.AsTensor(right, like, Name));
    }

    Tensor First(CallArguments arguments) => arguments.Args.Count > 0 && arguments.Args[0] is Tensor t ? t
        : throw new FormatException($"op '{Name}' ({ClassName}): first argument is not a tensor");

    static long[] Reversed(Tensor x) => Enumerable.Range(0, (int)x.dim()).Reverse().Select(i => (long)i).ToArray();

    static Tensor Squeeze(Tensor x, long[] axes)
    {
        foreach (var axis in axes.Select(a => a < 0 ? a + x.dim() : a).OrderDescending()) x = x.squeeze(axis);
        return x;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [compute(arguments)];

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
