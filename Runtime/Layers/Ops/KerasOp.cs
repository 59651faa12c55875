namespace KerasPort.Runtime.Layers.Ops;

/// <summary>
/// A raw <c>keras.ops</c> call that Keras 3 writes into a functional config as its own node (<see cref="OpSpec"/>):
/// e.g. <c>x * 2.0</c> becomes a <c>Multiply</c> op with an inline constant, which is not the Multiply layer.
/// </summary>
public sealed class KerasOp : KerasLayer
{
    readonly Func<CallArguments, Tensor> compute;

    /// <summary>Builds the op node of <paramref name="spec"/>.</summary>
    public KerasOp(LayerContext context, OpSpec spec) : base(context) => compute = Build(spec);

    Func<CallArguments, Tensor> Build(OpSpec spec) => spec switch
    {
        UnaryOpSpec unary => a => OpKernels.Unary[unary.Function](First(a)),
        BinaryOpSpec binary => a => BinaryCall(binary.Function, a),
        ReductionOpSpec reduction => a => OpKernels.Reduce(reduction.Function, First(a), reduction.Axes ?? OpOperands.Axes(a.Constant(1)), reduction.KeepDims),
        // keras.ops.reshape's newshape includes the batch axis.
        ReshapeOpSpec reshape => a => First(a).reshape(reshape.NewShape ?? OpOperands.Axes(a.Constant(1))!),
        TransposeOpSpec transpose => a => First(a).permute(transpose.Axes ?? Reversed(First(a))),
        ExpandDimsOpSpec expand => a => First(a).unsqueeze(expand.Axis < 0 ? expand.Axis + First(a).dim() + 1 : expand.Axis),
        SqueezeOpSpec squeeze => a => squeeze.Axes is null ? First(a).squeeze() : Squeeze(First(a), squeeze.Axes),
        JoinOpSpec { Stack: false } join => a => cat(a.Inputs.ToArray(), join.Axis),
        JoinOpSpec join => a => stack(a.Inputs.ToArray(), join.Axis),
        GetItemOpSpec => a => Slicing.Apply(First(a), a.Args.Count > 1 ? a.Args[1] : null, Name),
        CastOpSpec cast => a => First(a).to_type(DTypes.Parse(cast.DType, Name)),
        ClipOpSpec clip => a => First(a).clamp(Of(clip.Min ?? double.NegativeInfinity), Of(clip.Max ?? double.PositiveInfinity)),
        SoftmaxOpSpec softmax => a => First(a).softmax(softmax.Axis),
        // keras/src/ops/nn.py Gelu: approximate (torch's tanh form) unless the config says otherwise.
        GeluOpSpec { Approximate: true } => a => nn.functional.gelu(First(a), TorchSharp.Modules.GELU.Approximate.tanh),
        GeluOpSpec => a => nn.functional.gelu(First(a)),
        FillLikeOpSpec fill => a => (fill.Ones ? ones_like(First(a)) : zeros_like(First(a)))
            .to_type(fill.DType is { } dtype ? DTypes.Parse(dtype, Name) : First(a).dtype),
        _ => throw new UnsupportedLayerException(OpSpec.Prefix + ClassName, Name),
    };

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
