namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's attention layers as ONNX nodes (reference semantics: Runtime/Layers/Attention). MultiHeadAttention and
/// GroupedQueryAttention use ONNX Einsum with exactly the equations Keras builds (multi_head_attention.py
/// <c>_build_proj_equation</c>, <c>_build_attention_equation</c>), so any rank and <c>attention_axes</c> export; masked
/// logits get -1e9 added before the softmax, as Keras does (<see cref="AttentionMasks"/>).
/// </summary>
internal static class AttentionLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<MultiHeadAttentionSpec>(table, MultiHeadAttentionLowering.Lower);
        OnnxLowerings.Add<GroupedQueryAttentionSpec>(table, GroupedQueryAttentionLowering.Lower);
        OnnxLowerings.Add<AttentionSpec>(table, AttentionLowering.Lower);
        OnnxLowerings.Add<AdditiveAttentionSpec>(table, AdditiveAttentionLowering.Lower);
    }
}
