namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>SeparableConv1D/2D as two ONNX Convs (reference semantics: Runtime/Layers/Convolution/SeparableConv.cs).</summary>
internal static class SeparableConvLowering
{
    /// <summary>SeparableConv1D/2D: depthwise convolution (the layer's geometry), then a pointwise 1x1 convolution with the bias.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, SeparableConvSpec s)
    {
        var g = c.Graph;
        var geometry = ConvolutionGeometry.Of(s.Window);
        long multiplier = s.DepthMultiplier, filters = s.Filters;
        bool useBias = s.UseBias;
        c.ExpectWeightCount(useBias ? 3 : 2);
        var depthwise = ConvolutionLayout.DepthwiseKernel(c, 0, "depthwise_kernel", geometry, geometry.Channels(c.Input), multiplier, out long groups);
        var ones = ConvWindow.Ones(geometry.Rank);
        var pointwise = ConvolutionLayout.Kernel(c, 1, "pointwise_kernel", [.. ones, groups * multiplier, filters]);
        var bias = useBias ? c.Weight(2, "bias", filters) : null;
        var spread = geometry.Convolve(g, ConvolutionLayout.ToChannelsFirst(g, c.Input, geometry.ChannelsFirst), depthwise, null, groups);
        var pointGeometry = new ConvolutionGeometry(geometry.Rank, ones, ones, ones, PaddingMode.Valid, true);
        var y = pointGeometry.Convolve(g, spread, pointwise, bias, 1);
        return OnnxLayerCall.Drop(c.ApplyActivation(s.Activation, ConvolutionLayout.FromChannelsFirst(g, y, geometry.ChannelsFirst)));
    }
}
