namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Conv1D/2D/3DTranspose as ONNX ConvTranspose (reference semantics: Runtime/Layers/Convolution/ConvTranspose.cs).</summary>
internal static class ConvTransposeLowering
{
    /// <summary>
    /// Conv1D/2D/3DTranspose: ONNX ConvTranspose with the symmetric part of Keras's output window as its pads, then
    /// the rest cut off (or zeros appended), then the bias and activation; the window is the runtime's
    /// (<see cref="KerasPadding.Transposed"/>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ConvTransposeSpec s)
    {
        var g = c.Graph;
        var geometry = ConvolutionGeometry.Of(s.Window);
        var (symmetric, crops) = KerasPadding.Transposed(geometry.Padding, geometry.Kernel, geometry.Strides, geometry.Dilation, s.OutputPadding);
        long filters = s.Filters;
        bool useBias = s.UseBias;
        c.ExpectWeightCount(useBias ? 2 : 1);
        var kernel = ConvolutionLayout.Kernel(c, 0, "kernel", [.. geometry.Kernel, filters, geometry.Channels(c.Input)]);
        var x = ConvolutionLayout.ToChannelsFirst(g, c.Input, geometry.ChannelsFirst);
        int rank = geometry.Rank;
        var full = x.Shape[2..].Select((n, i) => n < 0 ? -1
            : (n - 1) * geometry.Strides[i] + (geometry.Kernel[i] - 1) * geometry.Dilation[i] + 1 - 2 * symmetric[i]).ToArray();
        var y = g.Node("ConvTranspose", [x, kernel], x.Type, [x.Shape[0], filters, .. full],
            Attr.Ints("kernel_shape", geometry.Kernel), Attr.Ints("strides", geometry.Strides), Attr.Ints("dilations", geometry.Dilation),
            Attr.Ints("pads", [.. symmetric, .. symmetric]));
        // Negative amounts of ONNX Pad crop; positive ones append zeros.
        y = g.Pad(y, [(0, 0), (0, 0), .. crops.Select(p => (-p.Before, -p.After))]);
        y = ConvolutionLayout.FromChannelsFirst(g, y, geometry.ChannelsFirst);
        if (useBias)
        {
            var bias = c.Weight(1, "bias", filters);
            y = g.Add(y, geometry.ChannelsFirst ? g.Reshape(bias, [filters, .. ConvWindow.Ones(rank)]) : bias);
        }
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, y));
    }
}
