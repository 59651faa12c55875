namespace KerasPort.Specs.KerasHub;

/// <summary>What keras_hub's TransformerEncoder and TransformerDecoder read alike from their configs.</summary>
internal static class TransformerBlock
{
    /// <summary>The <c>num_heads</c> argument.</summary>
    public static int NumHeads(LayerReader layer) => layer.IntAtLeast("num_heads", 0, 1);

    /// <summary>
    /// The feature size the layer was built for: the last axis of the shape its config records under
    /// <paramref name="shapeKey"/>; it must hold at least one element per head (the Python layer's <c>build</c> check).
    /// </summary>
    public static int HiddenDim(LayerReader layer, string shapeKey)
    {
        int hidden = layer.Ints(shapeKey) is [.., var last and > 0] ? last
            : throw layer.ConfigError(shapeKey, "missing or without a known feature size (the layer was never built)");
        return hidden >= NumHeads(layer) ? hidden
            : throw layer.ConfigError("num_heads", $"{NumHeads(layer)} heads leave no feature of the {hidden} to each (head_dim would be 0)");
    }
}
