namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's CachedMultiHeadAttention without a cache, as MultiHeadAttention (reference semantics: Runtime/Layers/KerasHub/Modeling/CachedMultiHeadAttention.cs).</summary>
internal static class CachedMultiHeadAttentionLowering
{
    /// <summary>Without a cache, Keras's MultiHeadAttention on the call's query, value, key and attention mask.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, CachedMultiHeadAttentionSpec s)
    {
        if (HubCalls.Argument(c, 4, "cache") is not null || HubCalls.Argument(c, 5, "cache_update_index") is not null)
            throw c.Unsupported("a key/value cache (token-by-token generation)");
        var attention = c.Inner(c.Description with { ClassName = "MultiHeadAttention", Module = null }, c.Args, c.Kwargs, c.Mask);
        return OnnxModelWriter.Lowering(attention)(attention);
    }
}
