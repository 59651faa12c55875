namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>What the Dense, EinsumDense and Embedding lowerings share: a legacy file's LoRA merged, a float kernel's weights checked, a quantized product.</summary>
internal static class KernelCalls
{
    /// <summary>A legacy file's LoRA layer as the call of its merged layer; any other call as it is.</summary>
    internal static OnnxLayerCall MergedLora(OnnxLayerCall c) =>
        LegacyLora.HoldsUnmergedMatrices(c.Description) ? c.Inner(LegacyLora.Merged(c.Description), c.Args, c.Kwargs, c.Mask) : c;

    /// <summary>A float layer's call, checked to hold the kernel and (with <paramref name="useBias"/>) the bias.</summary>
    internal static OnnxLayerCall Plain(OnnxLayerCall c, bool useBias)
    {
        c.ExpectWeightCount(useBias ? 2 : 1);
        return c;
    }

    /// <summary>The quantized product of <paramref name="x"/> and the index of the bias among the weights (-1 without one).</summary>
    internal static (OnnxValue Product, int Bias) Quantized(OnnxLayerCall c, IKernelSpec spec, KerasQuantization quantization, OnnxValue x, OnnxKernelGeometry geometry)
    {
        var roles = c.WeightIndicesByRole(spec.WeightNames);
        return (QuantizedLowerings.Product(c, quantization, roles, geometry, x), roles.GetValueOrDefault("bias", -1));
    }
}
