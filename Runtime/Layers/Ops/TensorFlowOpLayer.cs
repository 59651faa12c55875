namespace KerasPort.Runtime.Layers.Ops;

/// <summary>
/// tf.keras 2.0-2.3 <c>TensorFlowOpLayer</c>: one TensorFlow graph node (<c>node_def.op</c>, e.g. <c>Reshape</c> or
/// <c>AddV2</c>) whose inputs are the layer's tensors, except those listed in <c>constants</c> by input position.
/// Unsupported ops raise an error that names the op.
/// </summary>
public sealed class TensorFlowOpLayer : KerasLayer
{
    static readonly Dictionary<string, string> Unary = new()
    {
        ["Relu"] = "relu", ["Sigmoid"] = "sigmoid", ["Tanh"] = "tanh", ["Exp"] = "exp", ["Log"] = "log", ["Sqrt"] = "sqrt",
        ["Rsqrt"] = "rsqrt", ["Square"] = "square", ["Neg"] = "negative", ["Abs"] = "abs", ["Identity"] = "identity",
    };

    static readonly Dictionary<string, string> Binary = new()
    {
        ["Add"] = "add", ["AddV2"] = "add", ["Sub"] = "subtract", ["Mul"] = "multiply", ["RealDiv"] = "divide",
        ["Maximum"] = "maximum", ["Minimum"] = "minimum", ["Pow"] = "power", ["MatMul"] = "matmul", ["BatchMatMulV2"] = "matmul",
    };

    static readonly Dictionary<string, string> Reductions = new() { ["Mean"] = "mean", ["Sum"] = "sum", ["Max"] = "max", ["Min"] = "min", ["Prod"] = "prod" };

    readonly TensorFlowOpLayerSpec spec;
    readonly Func<IReadOnlyList<object?>, Tensor> compute;

    /// <summary>Builds the op <paramref name="spec"/> describes.</summary>
    public TensorFlowOpLayer(LayerContext context, TensorFlowOpLayerSpec spec) : base(context)
    {
        this.spec = spec;
        compute = Build();
    }

    Func<IReadOnlyList<object?>, Tensor> Build()
    {
        var op = spec.Op;
        if (Unary.TryGetValue(op, out var unary)) return o => OpKernels.Unary[unary](Tensor(o, 0));
        if (Binary.TryGetValue(op, out var binary))
            return o => OpKernels.Binary[binary](OpOperands.AsTensor(o[0], o[1] as Tensor, Name), OpOperands.AsTensor(o[1], o[0] as Tensor, Name));
        if (Reductions.TryGetValue(op, out var reduction))
            return o => OpKernels.Reduce(reduction, Tensor(o, 0), OpOperands.Axes(o[1] as JsonNode), spec.KeepDims);
        return op switch
        {
            "Reshape" => o => Tensor(o, 0).reshape(OpOperands.Axes(o[1] as JsonNode)!),
            "ConcatV2" => o => cat(o.Take(o.Count - 1).Select((_, i) => Tensor(o, i)).ToArray(), OpOperands.Axes(o[^1] as JsonNode)![0]),
            "Transpose" => o => Tensor(o, 0).permute(OpOperands.Axes(o[1] as JsonNode)!),
            "ExpandDims" => o => Tensor(o, 0).unsqueeze(OpOperands.Axes(o[1] as JsonNode)![0]),
            _ => throw new UnsupportedLayerException($"TensorFlowOpLayer:{op}", Name,
                $"TensorFlow op '{op}' is not supported; register a replacement with LayerRegistry.RegisterForLayer(\"{Name}\", ...)"),
        };
    }

    Tensor Tensor(IReadOnlyList<object?> operands, int index) =>
        operands[index] as Tensor ?? throw new FormatException($"op '{Name}' ({spec.Op}): input {index} is not a tensor");

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        // Constants fill their recorded input positions; the layer's tensors fill the rest in order.
        var tensors = new Queue<Tensor>(arguments.Inputs);
        var operands = Enumerable.Range(0, spec.InputCount)
            .Select(i => spec.Constants.TryGetValue(i, out var constant) ? (object?)constant : tensors.Count > 0 ? tensors.Dequeue() : null)
            .ToList();
        return [compute(operands)];
    }
}
