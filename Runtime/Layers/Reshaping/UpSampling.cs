using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers.Preprocessing;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>UpSampling1D/2D/3D</c>: repeats each step (1D), row and column (2D) or voxel (3D) <c>size</c> times
/// along the spatial axes. <c>UpSampling2D</c> with an interpolation other than <c>nearest</c> resizes to
/// <c>size</c> times the input instead (keras/src/layers/reshaping/up_sampling2d.py), through
/// <see cref="ImageResize"/>.
/// </summary>
public sealed class UpSampling : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["UpSampling1D", "UpSampling2D", "UpSampling3D"];

    readonly long[] size;
    readonly int firstAxis;
    readonly bool channelsFirst;
    readonly string interpolation;

    /// <summary>Builds the layer.</summary>
    public UpSampling(LayerContext context) : base(context)
    {
        int dims = context.ClassName[^2] - '0';
        var configured = context.Ints("size") ?? [2];
        size = (configured.Length == 1 ? Enumerable.Repeat(configured[0], dims) : configured).Select(s => (long)s).ToArray();
        if (size.Length != dims)
            throw new FormatException($"{context.ClassName} '{context.Name}': 'size' needs {dims} entries, got {size.Length}");
        firstAxis = SpatialConfig.FirstSpatialAxis(context);
        channelsFirst = firstAxis == 2;
        interpolation = ImageResize.Check(context.String("interpolation", "nearest")!, context);
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
