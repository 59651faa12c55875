using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Ops;

/// <summary>The <c>keras.ops.any</c> node: logical OR over <c>axis</c> (all axes when null).</summary>
public sealed class Any : KerasLayer
{
    readonly int[]? axes;
    readonly bool keepDims;

    /// <summary>Builds the node.</summary>
    public Any(LayerContext context) : base(context)
    {
        axes = context.Ints("axis");
        keepDims = context.Bool("keepdims", false);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input.to_type(ScalarType.Bool);
        if (axes is null) return [x.any()];
        foreach (var axis in axes.Select(a => a < 0 ? a + (int)x.dim() : a).OrderDescending())
            x = x.any(axis, keepDims);
        return [x];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
