namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Dense as ONNX MatMul (reference semantics: Runtime/Layers/Core/Dense.cs).</summary>
internal static class DenseLowering
{
    /// <summary>
    /// Dense: <c>activation(x @ kernel + bias)</c> on the last axis of an input of any rank; a quantized kernel as Keras
    /// computes with it (<see cref="QuantizedLowerings"/>), a legacy file's LoRA matrices merged (<see cref="LegacyLora"/>).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall call, DenseSpec spec)
    {
        var c = KernelCalls.MergedLora(call);
        var g = c.Graph;
        var x = c.Input;
        long units = spec.Units;
        bool useBias = spec.UseBias;
        var (y, bias) = spec.Options.Quantization is { } quantization
            ? KernelCalls.Quantized(c, spec, quantization, x, new OnnxKernelGeometry([x.Dim(-1), units], x.Dim(-1), units, [units], [-1], s => s,
                g.MatMul, g.MatMulInteger, Int4DividesOutput: true))
            : (g.MatMul(x, KernelCalls.Plain(c, useBias).Weight(0, "kernel", x.Dim(-1), units)), 1);
        if (useBias) y = g.Add(y, c.Weight(bias, "bias", units));
        return c.Pass(c.ApplyActivation(spec.Activation, y));
    }
}
