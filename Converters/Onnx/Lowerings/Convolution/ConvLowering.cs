namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Conv1D/2D/3D as ONNX Conv (reference semantics: Runtime/Layers/Convolution/Conv.cs).</summary>
internal static class ConvLowering
{
    /// <summary>Conv1D/2D/3D: <c>activation(conv(x, kernel) + bias)</c> with valid, same or causal padding, strides, dilation, groups.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ConvSpec s)
    {
        var g = c.Graph;
        var geometry = ConvolutionGeometry.Of(s.Window);
        c.ExpectWeightCount(s.UseBias ? 2 : 1);
        long channels = geometry.Channels(c.Input);
        var kernel = ConvolutionLayout.Kernel(c, 0, "kernel", [.. geometry.Kernel, channels < 0 ? -1 : channels / s.Groups, s.Filters]);
        var bias = s.UseBias ? c.Weight(1, "bias", s.Filters) : null;
        var y = geometry.Convolve(g, ConvolutionLayout.ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), kernel, bias, s.Groups);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, ConvolutionLayout.FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }
}
