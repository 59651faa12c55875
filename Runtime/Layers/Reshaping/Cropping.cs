namespace KerasPort.Runtime.Layers.Reshaping;

/// <summary>
/// Keras <c>Cropping1D/2D/3D</c>: removes a (before, after) amount from each spatial axis, the axes after the
/// batch axis (<c>channels_last</c>, and always for 1D) or after the channel axis (<c>channels_first</c>).
/// The result is a view of the input.
/// </summary>
public sealed class Cropping : KerasLayer
{
    readonly (long Before, long After)[] cropping;
    readonly int firstAxis;

    /// <summary>Builds the layer.</summary>
    public Cropping(LayerContext context, CroppingSpec spec) : base(context) => (cropping, firstAxis) = (spec.Cropping, spec.FirstSpatialAxis);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        for (int i = 0; i < cropping.Length; i++)
        {
            var (before, after) = cropping[i];
            x = x.narrow(firstAxis + i, before, x.Sizes()[firstAxis + i] - before - after);
        }
        return [x];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
