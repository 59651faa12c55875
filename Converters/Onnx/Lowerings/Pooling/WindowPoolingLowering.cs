namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Max/AveragePooling1D/2D/3D as ONNX MaxPool / AveragePool (reference semantics: Runtime/Layers/Pooling/WindowPooling.cs).</summary>
internal static class WindowPoolingLowering
{
    /// <summary>
    /// Max/AveragePooling1D/2D/3D: ONNX MaxPool / AveragePool on channels-first data with TF 'same' as explicit pads.
    /// MaxPool never picks a pad cell; AveragePool's <c>count_include_pad=0</c> leaves pad cells out of each window's
    /// divisor, TF's 'same' average (keras/src/backend/torch/nn.py <c>average_pool</c>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, PoolingSpec s)
    {
        var g = c.Graph;
        bool max = s.Max;
        var (channelsFirst, size, strides, padding) = (s.Window.ChannelsFirst, s.Window.Size, s.Window.Strides, s.Window.Padding);
        var x = ConvolutionLayout.ToChannelsFirst(g, c.Input, channelsFirst);
        var spatial = x.Shape[2..];
        var pads = KerasPadding.Pads(padding, spatial, size, strides, s.Window.Dilation);
        var padAttribute = pads is null
            ? Attr.String("auto_pad", "SAME_UPPER")
            : Attr.Ints("pads", [.. pads.Select(p => p.Before), .. pads.Select(p => p.After)]);
        var outSpatial = spatial.Select((n, i) => n < 0 ? -1
            : pads is null ? (n + strides[i] - 1) / strides[i]
            : (n + pads[i].Before + pads[i].After - size[i]) / strides[i] + 1).ToArray();
        long[] shape = [x.Shape[0], x.Shape[1], .. outSpatial];
        var y = max
            ? g.Node("MaxPool", [x], x.Type, shape, Attr.Ints("kernel_shape", size), Attr.Ints("strides", strides), padAttribute)
            : g.Node("AveragePool", [x], x.Type, shape, Attr.Ints("kernel_shape", size), Attr.Ints("strides", strides), padAttribute, Attr.Int("count_include_pad", 0));
        return OnnxLayerCall.Drop(ConvolutionLayout.FromChannelsFirst(g, y, channelsFirst));
    }
}
