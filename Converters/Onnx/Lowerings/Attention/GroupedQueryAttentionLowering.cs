namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>GroupedQueryAttention as ONNX Einsum (reference semantics: Runtime/Layers/Attention/GroupedQueryAttention.cs).</summary>
internal static class GroupedQueryAttentionLowering
{
    /// <summary>GroupedQueryAttention: <see cref="MultiHeadAttentionLowering.MultiHead"/> with each key/value head repeated for its query heads.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, GroupedQueryAttentionSpec s) =>
        MultiHeadAttentionLowering.MultiHead(c, MultiHeadAttentionLowering.FromSignature(c, queryMaskFromTensorOnly: false), s, 1, [1]);
}
