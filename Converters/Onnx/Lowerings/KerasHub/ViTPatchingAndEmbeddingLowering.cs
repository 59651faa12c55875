using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's ViTPatchingAndEmbedding as ONNX nodes (reference semantics: Runtime/Layers/KerasHub/ViT/ViTPatchingAndEmbedding.cs).</summary>
internal static class ViTPatchingAndEmbeddingLowering
{
    /// <summary>Patches flattened to <c>(batch, patches, hidden)</c>, the class token first, plus the position table.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, ViTPatchingAndEmbeddingSpec s)
    {
        var g = c.Graph;
        var patches = HubCalls.Lower(c, ViTSublayers.PatchEmbedding(c, s), c.Input);
        if (s.ChannelsFirst) patches = g.Transpose(patches, 0, 2, 3, 1);
        patches = g.Reshape(patches, 0, -1, s.HiddenDim);
        if (s.UseClassToken)
        {
            int index = ViTSublayers.OwnWeight(c);
            if (index < 0) throw new WeightMismatchException(c.Name, "vars/0", "ViTPatchingAndEmbedding needs its class_token (vars/0)");
            var token = c.Weight(index, "class_token", 1, 1, s.HiddenDim);
            var shape = g.Concat([g.Slice(g.ShapeOf(patches), 0, 0, 1), g.Longs(1, s.HiddenDim)], 0);
            patches = g.Concat([g.Expand(token, shape, [patches.Shape[0], 1, s.HiddenDim]), patches], 1);
        }
        // position_embedding(arange(num_positions)) is the whole table.
        var positions = ViTSublayers.PositionEmbedding(c, s);
        var table = c.Inner(positions, [patches], new Dictionary<string, object?>(), null).Weight(0, "embeddings", s.NumPositions, s.HiddenDim);
        return c.Pass(g.Add(patches, table));
    }
}
