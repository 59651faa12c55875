namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Flatten as ONNX Reshape (reference semantics: Runtime/Layers/Reshaping/Flatten.cs).</summary>
internal static class FlattenLowering
{
    /// <summary>Flatten: keeps the batch axis, flattens the rest in channels_last order (channels_first moves the channel axis last first).</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, FlattenSpec s)
    {
        var x = c.Input;
        if (s.ChannelsFirst && x.Rank > 2)
            x = c.Graph.Transpose(x, [0, .. Enumerable.Range(2, x.Rank - 2).Select(i => (long)i), 1]);
        return c.Pass(c.Graph.Reshape(x, 0, -1));
    }
}
