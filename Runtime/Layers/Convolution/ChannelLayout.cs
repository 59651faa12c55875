namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Moves tensors and kernels between Keras's layout and torch's, for the convolution and pooling layers.
/// </summary>
/// <remarks>
/// Strategy: Keras tensors stay channels_last (<c>N, spatial..., C</c>) at every layer boundary. A layer hands
/// torch a permuted <em>view</em> <c>N, C, spatial...</c> of its input: no copy is made, and the view's strides
/// are exactly those of torch's channels_last memory format, so torch's convolution and pooling kernels run
/// in that format and return channels_last-strided results. Permuting the result back is again a view, and
/// a contiguous one. Kernels are converted once, at construction, to torch's shape with channels_last strides
/// too (TorchSharp 0.107 has no <c>memory_format</c> argument, so the strides come from a permuted copy),
/// which keeps input and weight in the same format and spares torch a conversion on every call.
/// Layers with <c>data_format='channels_first'</c> already hold torch's layout and pass through unchanged.
/// </remarks>
internal static class ChannelLayout
{
    /// <summary>A view of Keras tensor <paramref name="x"/> in torch's <c>N, C, spatial...</c> shape.</summary>
    public static Tensor ToTorch(Tensor x, bool channelsFirst) =>
        channelsFirst ? x : x.permute([0, x.dim() - 1, .. Range(1, x.dim() - 2)]);

    /// <summary>A view of torch result <paramref name="y"/> (<c>N, C, spatial...</c>) in the layer's Keras layout.</summary>
    public static Tensor FromTorch(Tensor y, bool channelsFirst) =>
        channelsFirst ? y : y.permute([0, .. Range(2, y.dim() - 2), 1]);

    /// <summary>
    /// A Keras kernel <c>(k..., a, b)</c> as a torch weight <c>(b, a, k...)</c> with channels_last strides
    /// (memory ordered <c>b, k..., a</c>). Convolution kernels <c>(k..., in, out)</c> become torch's
    /// <c>(out, in, k...)</c>; transposed-convolution kernels <c>(k..., out, in)</c> become torch's
    /// <c>(in, out, k...)</c>. The result is a new tensor the caller owns.
    /// </summary>
    public static Tensor TorchKernel(Tensor kerasKernel)
    {
        long rank = kerasKernel.dim();
        using var leading = kerasKernel.permute([rank - 1, .. Range(0, rank - 1)]);
        using var packed = leading.contiguous();
        return packed.permute([0, rank - 1, .. Range(1, rank - 2)]);
    }

    /// <summary>
    /// A torch kernel <paramref name="torchKernel"/> (<c>(out, in / groups, k...)</c>, channels_last strides, as
    /// <see cref="TorchKernel"/> makes it) and bias with <c>y * scale + shift</c> folded in along the output channels
    /// (<see cref="AffineFolding"/>). The kernel keeps its channels_last strides; both tensors go to <paramref name="owned"/>.
    /// </summary>
    public static (Tensor Kernel, Tensor Bias) FoldAffine(Tensor torchKernel, Tensor? bias, Tensor scale, Tensor shift, ICollection<IDisposable> owned)
    {
        long rank = torchKernel.dim();
        using var scope = NewDisposeScope();
        // The kernel's memory order is (out, k..., in): scale that contiguous view, then view it in torch's shape again.
        var memoryOrder = torchKernel.permute([0, .. Range(2, rank - 2), 1]);
        var scaled = memoryOrder * scale.reshape([-1, .. Enumerable.Repeat(1L, (int)rank - 1)]);
        var kernel = AffineFolding.Keep(scaled.permute([0, rank - 1, .. Range(1, rank - 2)]), owned);
        return (kernel, AffineFolding.Bias(bias, scale, shift, owned));
    }

    static long[] Range(long start, long count) => Enumerable.Range((int)start, (int)count).Select(i => (long)i).ToArray();
}
