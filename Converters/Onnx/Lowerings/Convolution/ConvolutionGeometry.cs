namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The geometry of a convolution layer (kernel size, strides, dilation, padding, data format).</summary>
internal sealed record ConvolutionGeometry(int Rank, long[] Kernel, long[] Strides, long[] Dilation, PaddingMode Padding, bool ChannelsFirst)
{
    /// <summary>The geometry of a spec's window.</summary>
    public static ConvolutionGeometry Of(ConvWindow w) => new(w.Rank, w.Size, w.Strides, w.Dilation, w.Padding, w.ChannelsFirst);

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
