namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>ZeroPadding1D/2D/3D</c>: pads each spatial axis with zeros, a (before, after) amount per axis, along
/// the axes after the batch axis (<c>channels_last</c>) or after the channel axis (<c>channels_first</c>).
/// </summary>
public sealed class ZeroPadding : KerasLayer
{
    readonly (long Before, long After)[] padding;
    readonly int firstAxis;

    /// <summary>Builds the layer.</summary>
    public ZeroPadding(LayerContext context, ZeroPaddingSpec spec) : base(context) => (padding, firstAxis) = (spec.Padding, spec.FirstSpatialAxis);

    /// <summary>
    /// The (before, after) pads of the spatial axes when the data is channels_last, which a convolution reading this
    /// layer's output may take into its own padding (<see cref="IFoldableLinear.Inference"/>); null for channels_first.
    /// </summary>
    internal (long Before, long After)[]? ChannelsLastPads => firstAxis == 1 ? padding : null;

    /// <inheritdoc />
    /// <remarks>
    /// The input goes into the middle of a new tensor and only the borders are zeroed: libtorch's pad zeroes the whole
    /// output first and then copies, one more write of the output (EfficientNet's five pads at batch 32: 33 ms, against
    /// 2 ms for ONNX Runtime, which folds them into its convolutions).
    /// </remarks>
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var shape = x.Sizes();
        var padded = (long[])shape.Clone();
        for (int i = 0; i < padding.Length && firstAxis + i < shape.Length; i++)
            padded[firstAxis + i] += padding[i].Before + padding[i].After;
        var y = empty(padded, x.dtype, x.device);
        var middle = y;
        for (int i = 0; i < padding.Length && firstAxis + i < shape.Length; i++)
        {
            int axis = firstAxis + i;
            var (before, after) = padding[i];
            if (before > 0) y.narrow(axis, 0, before).zero_();
            if (after > 0) y.narrow(axis, before + shape[axis], after).zero_();
            middle = middle.narrow(axis, before, shape[axis]);
        }
        middle.copy_(x);
        return [y];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
