using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// keras_hub's MobileNet blocks (DepthwiseConvBlock, InvertedResidualBlock, ConvBnActBlock) as ONNX nodes (reference
/// semantics: Runtime/Layers/KerasHub/MobileNet/MobileNetBlock.cs): each lowers the chain of Keras layers the runtime
/// builds (<see cref="MobileNetSublayers"/>) with their own lowerings.
/// </summary>
internal static class MobileNetBlockLowering
{
    /// <summary>The chain of sublayers on the input, plus the input where the block is residual.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, IEnumerable<LayerDescription?> chain, bool residual)
    {
        var x = HubCalls.Chain(c, c.Input, chain);
        return c.Pass(residual ? c.Graph.Add(x, c.Input) : x);
    }
}
