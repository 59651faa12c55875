namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's layouts as ONNX's, shared by the convolution, pooling and ConvLSTM lowerings. ONNX convolves channels-first
/// tensors, so a channels_last input is transposed to <c>N, C, spatial...</c> and the result back; ONNX Runtime's
/// transpose optimizer cancels the pairs between consecutive layers. Kernels are rearranged once, at export, from
/// Keras's <c>(k..., in, out)</c> to ONNX's <c>(out, in, k...)</c>. TF 'same' padding is written as explicit, possibly
/// asymmetric, pads (<see cref="ConvolutionGeometry"/>).
/// </summary>
internal static class ConvolutionLayout
{
    /// <summary>A Keras-layout tensor as <c>N, C, spatial...</c>.</summary>
    internal static OnnxValue ToChannelsFirst(OnnxGraph g, OnnxValue x, bool channelsFirst) =>
        channelsFirst ? x : g.Transpose(x, [0, x.Rank - 1, .. Enumerable.Range(1, x.Rank - 2).Select(i => (long)i)]);

    /// <summary>An <c>N, C, spatial...</c> result in the layer's Keras layout.</summary>
    internal static OnnxValue FromChannelsFirst(OnnxGraph g, OnnxValue y, bool channelsFirst) =>
        channelsFirst ? y : g.Transpose(y, [0, .. Enumerable.Range(2, y.Rank - 2).Select(i => (long)i), 1]);

    /// <summary>Keras kernel <c>(k..., a, b)</c> (weight <paramref name="index"/>) as ONNX's <c>(b, a, k...)</c>.</summary>
    internal static OnnxValue Kernel(OnnxLayerCall c, int index, string role, long[] kerasShape)
    {
        var (data, shape) = c.WeightData(index, role, kerasShape);
        int rank = shape.Length;
        var (permuted, onnxShape) = HostArrays.Permute(data, shape, [rank - 1, rank - 2, .. Enumerable.Range(0, rank - 2)]);
        return c.Derived(role, permuted, onnxShape);
    }

    /// <summary>
    /// A depthwise kernel <c>(k..., in, multiplier)</c> as the ONNX weight of a grouped convolution with one group per
    /// input channel, <c>(in * multiplier, 1, k...)</c>; output channel <c>c * multiplier + m</c> is input channel c
    /// under multiplier m (keras/src/backend/torch/nn.py <c>depthwise_conv</c>).
    /// </summary>
    internal static OnnxValue DepthwiseKernel(OnnxLayerCall c, int index, string role, ConvolutionGeometry geometry, long channels, long multiplier, out long groups)
    {
        var (data, shape) = c.WeightData(index, role, [.. geometry.Kernel, channels, multiplier]);
        groups = shape[geometry.Rank];
        long[] flat = [.. geometry.Kernel, 1, groups * multiplier];
        var (permuted, onnxShape) = HostArrays.Permute(data, flat, [geometry.Rank + 1, geometry.Rank, .. Enumerable.Range(0, geometry.Rank)]);
        return c.Derived(role, permuted, onnxShape);
    }
}
