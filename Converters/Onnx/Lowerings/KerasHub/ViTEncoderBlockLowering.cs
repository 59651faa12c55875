using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's ViTEncoderBlock as its sublayers' lowerings (reference semantics: Runtime/Layers/KerasHub/ViT/ViTEncoderBlock.cs).</summary>
internal static class ViTEncoderBlockLowering
{
    /// <summary><c>x = inputs + mha(ln_1(inputs), ln_1(inputs))</c>, then <c>x + mlp(ln_2(x))</c>.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ViTEncoderBlockSpec s)
    {
        var g = c.Graph;
        var (attentionNorm, attention, mlpNorm, intermediate, output) = ViTSublayers.Block(c, s);
        var normalized = HubCalls.Lower(c, attentionNorm, c.Input);
        var call = c.Inner(attention, [normalized, normalized], new Dictionary<string, object?>(), null);
        var x = g.Add(OnnxModelWriter.Lowering(call)(call).Outputs[0], c.Input);
        return c.Pass(g.Add(x, HubCalls.Lower(c, output, HubCalls.Lower(c, intermediate, HubCalls.Lower(c, mlpNorm, x)))));
    }
}
