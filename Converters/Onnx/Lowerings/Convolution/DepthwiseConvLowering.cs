namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>DepthwiseConv1D/2D as ONNX Conv (reference semantics: Runtime/Layers/Convolution/DepthwiseConv.cs).</summary>
internal static class DepthwiseConvLowering
{
    /// <summary>DepthwiseConv1D/2D: a grouped convolution with one group per input channel, then bias and activation.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, DepthwiseConvSpec s)
    {
        var g = c.Graph;
        var geometry = ConvolutionGeometry.Of(s.Window);
        c.ExpectWeightCount(s.UseBias ? 2 : 1);
        var kernel = ConvolutionLayout.DepthwiseKernel(c, 0, "depthwise_kernel", geometry, geometry.Channels(c.Input), s.DepthMultiplier, out long groups);
        var bias = s.UseBias ? c.Weight(1, "bias", groups * s.DepthMultiplier) : null;
        var y = geometry.Convolve(g, ConvolutionLayout.ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), kernel, bias, groups);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, ConvolutionLayout.FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }
}
