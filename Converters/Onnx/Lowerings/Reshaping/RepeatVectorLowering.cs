namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>RepeatVector as ONNX Tile (reference semantics: Runtime/Layers/Reshaping/RepeatVector.cs).</summary>
internal static class RepeatVectorLowering
{
    /// <summary>RepeatVector: <c>[batch, features]</c> to <c>[batch, n, features]</c>.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, RepeatVectorSpec s)
    {
        var g = c.Graph;
        long n = s.N;
        var column = g.Unsqueeze(c.Input, 1);
        return c.Pass(g.Node("Tile", [column, g.Longs(1, n, 1)], column.Type, [column.Shape[0], n, column.Shape[2]]));
    }
}
