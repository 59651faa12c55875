namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>ReversibleEmbedding as ONNX Gather or MatMul (reference semantics: Runtime/Layers/Core/ReversibleEmbedding.cs).</summary>
internal static class ReversibleEmbeddingLowering
{
    /// <summary>
    /// ReversibleEmbedding (Runtime/Layers/Core/ReversibleEmbedding.cs): the lookup, or with <c>reverse=True</c>
    /// <c>x @ embeddings^T</c> (tied) or <c>x @ reverse_embeddings</c>, soft-capped as <c>tanh(logits / cap) * cap</c>.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ReversibleEmbeddingSpec spec)
    {
        var g = c.Graph;
        c.ExpectWeightCount(spec.WeightRoles.Count);
        var (inputDim, outputDim) = (spec.InputDim, spec.OutputDim);
        if (spec.UnsupportedReverseDtype is { } reverseDtype) throw c.Unsupported($"reverse_dtype '{reverseDtype}'");
        bool reverse = c.Kwargs.TryGetValue("reverse", out var flag) && flag is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        if (!reverse)
        {
            var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
            return new OnnxLowered([g.Gather(c.Weight(0, "embeddings", inputDim, outputDim), ids, 0)], spec.MaskZero ? MaskingLowering.NotEqual(g, c.Input, 0) : null);
        }
        var kernel = spec.TieWeights
            ? g.Transpose(c.Weight(0, "embeddings", inputDim, outputDim), 1, 0)
            : c.Weight(1, "reverse_embeddings", outputDim, inputDim);
        var logits = g.MatMul(c.Input, kernel);
        if (spec.LogitSoftCap is { } cap) logits = g.Scale(g.Unary("Tanh", g.Div(logits, g.Scalar(cap))), cap);
        return OnnxLayerCall.Drop(logits);
    }
}
