namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>keras_hub's PositionEmbedding as an ONNX Slice of its table (reference semantics: Runtime/Layers/KerasHub/Modeling/PositionEmbedding.cs).</summary>
internal static class PositionEmbeddingLowering
{
    /// <summary>Rows <c>start_index .. start_index + T</c> of the table, expanded to the input's shape (T may be dynamic).</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, PositionEmbeddingSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        long start = HubCalls.Argument(c, 1, "start_index") switch
        {
            null => 0,
            JsonValue constant => (long)constant,
            _ => throw c.Unsupported("a start_index computed in the graph"),
        };
        c.ExpectWeightCount(1);
        var table = c.Weight(0, "embeddings", s.SequenceLength, c.Weights[0].Value.Shape[^1]);
        var length = g.Slice(g.ShapeOf(x), 0, x.Rank - 2, x.Rank - 1);
        var rows = g.Node("Slice", [table, g.Longs(start), start == 0 ? length : g.Add(length, g.Longs(start)), g.Longs(0)],
            table.Type, [x.Dim(-2), table.Dim(-1)]);
        return c.Pass(g.Expand(rows, g.ShapeOf(x), x.Shape));
    }
}
