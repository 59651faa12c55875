using KerasPort.Runtime.Layers.Preprocessing;

namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>UpSampling1D/2D/3D</c>: repeats each step (1D), row and column (2D) or voxel (3D) <c>size</c> times
/// along the spatial axes. <c>UpSampling2D</c> with an interpolation other than <c>nearest</c> resizes to
/// <c>size</c> times the input instead (keras/src/layers/reshaping/up_sampling2d.py), through
/// <see cref="ImageResize"/>.
/// </summary>
public sealed class UpSampling : KerasLayer
{
    readonly long[] size;
    readonly int firstAxis;
    readonly bool channelsFirst;
    readonly string interpolation;

    /// <summary>Builds the layer.</summary>
    public UpSampling(LayerContext context, UpSamplingSpec spec) : base(context)
    {
        (size, firstAxis, channelsFirst) = (spec.Size, spec.FirstSpatialAxis, spec.ChannelsFirst);
        interpolation = ImageResize.Check(spec.Interpolation, context);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (interpolation != "nearest")
            return [ImageResize.Resize(x, x.Sizes()[firstAxis] * size[0], x.Sizes()[firstAxis + 1] * size[1], interpolation, channelsFirst)];
        for (int i = 0; i < size.Length; i++)
            if (size[i] != 1) x = x.repeat_interleave(size[i], firstAxis + i);
        return [x];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
