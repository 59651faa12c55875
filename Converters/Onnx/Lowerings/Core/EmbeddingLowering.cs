namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Embedding as ONNX Gather (reference semantics: Runtime/Layers/Core/Embedding.cs).</summary>
internal static class EmbeddingLowering
{
    /// <summary>
    /// Embedding: Gather rows of <c>[input_dim, output_dim]</c> (a quantized table de-scaled first:
    /// <see cref="QuantizedLowerings.EmbeddingTable"/>); with <c>mask_zero</c> the output is masked where the id is 0.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, EmbeddingSpec spec)
    {
        var g = c.Graph;
        var (inputDim, outputDim) = (spec.InputDim, spec.OutputDim);
        var table = spec.Options.Quantization is { } quantization
            ? QuantizedLowerings.EmbeddingTable(c, quantization, spec.WeightNames, inputDim, outputDim)
            : KernelCalls.Plain(c, useBias: false).Weight(0, "embeddings", inputDim, outputDim);
        var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
        var output = g.Gather(table, ids, 0);
        return new OnnxLowered([output], spec.MaskZero ? MaskingLowering.NotEqual(g, c.Input, 0) : null);
    }
}
