namespace KerasPort.Runtime.Layers.Pooling;

/// <summary>
/// Keras <c>GlobalAveragePooling1D/2D/3D</c> and <c>GlobalMaxPooling1D/2D/3D</c>: reduce over all spatial axes.
/// A 1D average honours a timestep mask (masked steps are left out of the mean), as
/// keras/src/layers/pooling/global_average_pooling1d.py does.
/// </summary>
public sealed class GlobalPooling : KerasLayer
{
    readonly GlobalPoolingSpec spec;
    readonly bool average;
    readonly bool channelsFirst;
    readonly bool keepDims;

    /// <summary>Builds the layer.</summary>
    public GlobalPooling(LayerContext context, GlobalPoolingSpec spec) : base(context) =>
        (this.spec, average, channelsFirst, keepDims) = (spec, spec.Average, spec.ChannelsFirst, spec.KeepDims);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var spatial = spec.SpatialAxes(x.dim());
        if (!average) return [x.amax(spatial, keepDims)];
        if (arguments.Mask is { } mask && x.dim() == 3)
        {
            var weights = mask.to_type(x.dtype).unsqueeze(channelsFirst ? 1 : 2);
            return [(x * weights).sum(spatial, keepDims) / weights.sum(spatial, keepDims)];
        }
        if (!x.is_contiguous())
        {
            // A window of a larger tensor (a convolution's output, see ConvPadding.Covering) averages 2.4x faster one
            // axis at a time: libtorch cannot merge axes with a gap between them into one reduction (EfficientNet's
            // block2a squeeze at batch 32: 10.7 against 4.4 ms, kerasport bench --profile). Equal counts per axis make
            // the mean of means the mean.
            var y = x;
            foreach (var axis in spatial.Reverse()) y = y.mean([axis], keepdim: true);
            return [keepDims ? y : y.flatten(1)];
        }
        return [x.mean(spatial, keepDims)];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
