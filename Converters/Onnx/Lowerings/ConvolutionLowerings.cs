namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's convolution layers as ONNX Conv/ConvTranspose (reference semantics: Runtime/Layers/Convolution). ONNX
/// convolves channels-first tensors, so a channels_last input is transposed to <c>N, C, spatial...</c> and the
/// result back; ONNX Runtime's transpose optimizer cancels the pairs between consecutive layers. Kernels are
/// rearranged once, at export, from Keras's <c>(k..., in, out)</c> to ONNX's <c>(out, in, k...)</c>. TF 'same'
/// padding is written as explicit, possibly asymmetric, pads.
/// </summary>
internal static class ConvolutionLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<ConvSpec>(table, Conv);
        OnnxLowerings.Add<ConvTransposeSpec>(table, ConvTranspose);
        OnnxLowerings.Add<DepthwiseConvSpec>(table, Depthwise);
        OnnxLowerings.Add<SeparableConvSpec>(table, Separable);
    }

    /// <summary>The geometry of a convolution layer (kernel size, strides, dilation, padding, data format).</summary>
    internal sealed record Geometry(int Rank, long[] Kernel, long[] Strides, long[] Dilation, PaddingMode Padding, bool ChannelsFirst)
    {
        /// <summary>The geometry of a spec's window.</summary>
        public static Geometry Of(ConvWindow w) => new(w.Rank, w.Size, w.Strides, w.Dilation, w.Padding, w.ChannelsFirst);

        /// <summary>The input's channel count in Keras layout.</summary>
        public long Channels(OnnxValue x) => x.Dim(ChannelsFirst ? 1 : -1);

        /// <summary>
        /// Convolves channels-first <paramref name="x"/> with ONNX weight <paramref name="weight"/>
        /// <c>(out, in / groups, k...)</c>, padded as the layer's mode says.
        /// </summary>
        public OnnxValue Convolve(OnnxGraph g, OnnxValue x, OnnxValue weight, OnnxValue? bias, long groups)
        {
            var spatial = x.Shape[2..];
            var pads = KerasPadding.Pads(Padding, spatial, Kernel, Strides, Dilation);
            var padAttribute = pads is null
                ? Attr.String("auto_pad", "SAME_UPPER")
                : Attr.Ints("pads", [.. pads.Select(p => p.Before), .. pads.Select(p => p.After)]);
            var outSpatial = spatial.Select((n, i) => n < 0 ? -1
                : pads is null ? (n + Strides[i] - 1) / Strides[i]
                : (n + pads[i].Before + pads[i].After - ((Kernel[i] - 1) * Dilation[i] + 1)) / Strides[i] + 1).ToArray();
            return g.Node("Conv", bias is null ? [x, weight] : [x, weight, bias], x.Type, [x.Shape[0], weight.Shape[0], .. outSpatial],
                Attr.Ints("kernel_shape", Kernel), Attr.Ints("strides", Strides), Attr.Ints("dilations", Dilation), Attr.Int("group", groups), padAttribute);
        }
    }

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
    static OnnxValue DepthwiseKernel(OnnxLayerCall c, int index, string role, Geometry geometry, long channels, long multiplier, out long groups)
    {
        var (data, shape) = c.WeightData(index, role, [.. geometry.Kernel, channels, multiplier]);
        groups = shape[geometry.Rank];
        long[] flat = [.. geometry.Kernel, 1, groups * multiplier];
        var (permuted, onnxShape) = HostArrays.Permute(data, flat, [geometry.Rank + 1, geometry.Rank, .. Enumerable.Range(0, geometry.Rank)]);
        return c.Derived(role, permuted, onnxShape);
    }

    /// <summary>Conv1D/2D/3D: <c>activation(conv(x, kernel) + bias)</c> with valid, same or causal padding, strides, dilation, groups.</summary>
    static OnnxLowered Conv(OnnxLayerCall c, ConvSpec s)
    {
        var g = c.Graph;
        var geometry = Geometry.Of(s.Window);
        c.ExpectWeightCount(s.UseBias ? 2 : 1);
        long channels = geometry.Channels(c.Input);
        var kernel = Kernel(c, 0, "kernel", [.. geometry.Kernel, channels < 0 ? -1 : channels / s.Groups, s.Filters]);
        var bias = s.UseBias ? c.Weight(1, "bias", s.Filters) : null;
        var y = geometry.Convolve(g, ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), kernel, bias, s.Groups);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }

    /// <summary>DepthwiseConv1D/2D: a grouped convolution with one group per input channel, then bias and activation.</summary>
    static OnnxLowered Depthwise(OnnxLayerCall c, DepthwiseConvSpec s)
    {
        var g = c.Graph;
        var geometry = Geometry.Of(s.Window);
        c.ExpectWeightCount(s.UseBias ? 2 : 1);
        var kernel = DepthwiseKernel(c, 0, "depthwise_kernel", geometry, geometry.Channels(c.Input), s.DepthMultiplier, out long groups);
        var bias = s.UseBias ? c.Weight(1, "bias", groups * s.DepthMultiplier) : null;
        var y = geometry.Convolve(g, ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), kernel, bias, groups);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }

    /// <summary>SeparableConv1D/2D: depthwise convolution (the layer's geometry), then a pointwise 1x1 convolution with the bias.</summary>
    static OnnxLowered Separable(OnnxLayerCall c, SeparableConvSpec s)
    {
        var g = c.Graph;
        var geometry = Geometry.Of(s.Window);
        long multiplier = s.DepthMultiplier, filters = s.Filters;
        bool useBias = s.UseBias;
        c.ExpectWeightCount(useBias ? 3 : 2);
        var depthwise = DepthwiseKernel(c, 0, "depthwise_kernel", geometry, geometry.Channels(c.Input), multiplier, out long groups);
        var ones = ConvWindow.Ones(geometry.Rank);
        var pointwise = Kernel(c, 1, "pointwise_kernel", [.. ones, groups * multiplier, filters]);
        var bias = useBias ? c.Weight(2, "bias", filters) : null;
        var spread = geometry.Convolve(g, ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), depthwise, null, groups);
        var pointGeometry = new Geometry(geometry.Rank, ones, ones, ones, PaddingMode.Valid, true);
        var y = pointGeometry.Convolve(g, spread, pointwise, bias, 1);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }

    /// <summary>
    /// Conv1D/2D/3DTranspose: ONNX ConvTranspose with the symmetric part of Keras's output window as its pads, then
    /// the rest cut off (or zeros appended), then the bias and activation; the window is the runtime's
    /// (<see cref="KerasPadding.Transposed"/>).
    /// </summary>
    static OnnxLowered ConvTranspose(OnnxLayerCall c, ConvTransposeSpec s)
    {
        var g = c.Graph;
        var geometry = Geometry.Of(s.Window);
        var (symmetric, crops) = KerasPadding.Transposed(geometry.Padding, geometry.Kernel, geometry.Strides, geometry.Dilation, s.OutputPadding);
        long filters = s.Filters;
        bool useBias = s.UseBias;
        c.ExpectWeightCount(useBias ? 2 : 1);
        var kernel = Kernel(c, 0, "kernel", [.. geometry.Kernel, filters, geometry.Channels(c.Input)]);
        var x = ToChannelsFirst(g, c.Input, geometry.ChannelsFirst);
        int rank = geometry.Rank;
        var full = x.Shape[2..].Select((n, i) => n < 0 ? -1
            : (n - 1) * geometry.Strides[i] + (geometry.Kernel[i] - 1) * geometry.Dilation[i] + 1 - 2 * symmetric[i]).ToArray();
        var y = g.Node("ConvTranspose", [x, kernel], x.Type, [x.Shape[0], filters, .. full],
            Attr.Ints("kernel_shape", geometry.Kernel), Attr.Ints("strides", geometry.Strides), Attr.Ints("dilations", geometry.Dilation),
            Attr.Ints("pads", [.. symmetric, .. symmetric]));
        // Negative amounts of ONNX Pad crop; positive ones append zeros.
        y = g.Pad(y, [(0, 0), (0, 0), .. crops.Select(p => (-p.Before, -p.After))]);
        y = FromChannelsFirst(g, y, geometry.ChannelsFirst);
        if (useBias)
        {
            var bias = c.Weight(1, "bias", filters);
            y = g.Add(y, geometry.ChannelsFirst ? g.Reshape(bias, [filters, .. ConvWindow.Ones(rank)]) : bias);
        }
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, y));
    }
}
