using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's ViTEncoder as its blocks' and final norm's lowerings (reference semantics: Runtime/Layers/KerasHub/ViT/ViTEncoder.cs).</summary>
internal static class ViTEncoderLowering
{
    /// <summary>The encoder blocks one after the other, then the final layer normalization.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ViTEncoderSpec s)
    {
        var (blocks, norm) = ViTSublayers.Encoder(c, s);
        return c.Pass(HubCalls.Lower(c, norm, blocks.Aggregate(c.Input, (x, block) => HubCalls.Lower(c, block, x))));
    }
}
