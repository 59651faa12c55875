namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// The noise shapes of Keras's dropout layers: the config's <c>noise_shape</c> with <c>None</c> entries taken from
/// the input (keras/src/backend/common/backend_utils.py <c>_get_concrete_noise_shape</c>), or the spatial shape
/// <c>(batch, 1, ..., channels)</c> of SpatialDropout (channels first: <c>(batch, channels, 1, ...)</c>).
/// Random draws use torch's global generator; seed it with <c>torch.manual_seed</c> for repeatable training.
/// </summary>
internal static class RandomMasks
{
    /// <summary>The concrete noise shape for <paramref name="x"/>; null means the input's own shape.</summary>
    public static long[]? Resolve(int[]? noiseShape, Tensor x) =>
        noiseShape?.Select((d, i) => d < 0 ? x.Sizes()[i] : d).ToArray();

    /// <summary>The noise shape of SpatialDropout1D/2D/3D: one draw per sample and channel.</summary>
    public static long[] Spatial(Tensor x, bool channelsFirst)
    {
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[0] = x.Sizes()[0];
        int channel = channelsFirst ? 1 : (int)x.dim() - 1;
        shape[channel] = x.Sizes()[channel];
        return shape;
    }

    /// <summary>
    /// A keep mask (1 with probability <paramref name="keep"/>) of <paramref name="shape"/>, broadcast against the
    /// input, as keras/src/backend/torch/random.py <c>dropout</c> draws it with <c>torch.bernoulli</c>.
    /// </summary>
    public static Tensor Keep(long[] shape, double keep, Tensor like) =>
        full(shape, Of(keep), like.dtype, like.device).bernoulli();
}
