using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's SqueezeAndExcite2D as ONNX nodes (reference semantics: Runtime/Layers/KerasHub/MobileNet/SqueezeAndExcite2D.cs).</summary>
internal static class SqueezeAndExcite2DLowering
{
    /// <summary>The input times the gate computed from its mean over rows and columns (channels_last).</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, SqueezeAndExcite2DSpec s)
    {
        var g = c.Graph;
        var pooled = g.Reduce("ReduceMean", c.Input, [1, 2], keepDims: true);
        return c.Pass(g.Mul(c.Input, HubCalls.Chain(c, pooled, MobileNetSublayers.SqueezeAndExcite2DGate(c, s))));
    }
}
