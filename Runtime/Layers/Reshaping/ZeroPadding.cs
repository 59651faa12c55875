using KerasPort.Converters.Keras;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>ZeroPadding1D/2D/3D</c>: pads each spatial axis with zeros, a (before, after) amount per axis, along
/// the axes after the batch axis (<c>channels_last</c>) or after the channel axis (<c>channels_first</c>).
/// </summary>
public sealed class ZeroPadding : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"];

    readonly (long Before, long After)[] padding;
    readonly int firstAxis;

    /// <summary>Builds the layer.</summary>
    public ZeroPadding(LayerContext context) : base(context)
    {
        padding = SpatialConfig.Pairs(context, "padding", context.ClassName[^2] - '0');
        firstAxis = SpatialConfig.FirstSpatialAxis(context);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        // torch pad lists (before, after) from the last axis backwards, down to the first padded axis.
        var pad = new List<long>();
        for (long axis = x.dim() - 1; axis >= firstAxis; axis--)
        {
            var (before, after) = axis - firstAxis < padding.Length ? padding[axis - firstAxis] : (0, 0);
            pad.Add(before);
            pad.Add(after);
        }
        return [F.pad(x, pad.ToArray())];
    }
}
