using KerasPort.Runtime.Layers.Convolution;

namespace KerasPort.Runtime.Layers.Pooling;

/// <summary>
/// Keras <c>AdaptiveAveragePooling1D/2D/3D</c> and <c>AdaptiveMaxPooling1D/2D/3D</c>: pool to a fixed
/// <c>output_size</c> with torch's adaptive bins, as keras/src/layers/pooling/base_adaptive_pooling.py does
/// through <c>ops.adaptive_avg_pool</c> / <c>ops.adaptive_max_pool</c>.
/// </summary>
public sealed class AdaptivePooling : KerasLayer
{
    readonly bool max;
    readonly bool channelsFirst;
    readonly long[] size;

    /// <summary>Builds the layer.</summary>
    public AdaptivePooling(LayerContext context, AdaptivePoolingSpec spec) : base(context) =>
        (max, channelsFirst, size) = (spec.Max, spec.ChannelsFirst, spec.OutputSize);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = ChannelLayout.ToTorch(arguments.Input, channelsFirst);
        return [ChannelLayout.FromTorch(TorchOps.AdaptivePool(x, size, max), channelsFirst)];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
