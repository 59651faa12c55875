namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>TimeDistributed as one call of the wrapped layer's lowering (reference semantics: Runtime/Layers/Recurrent/TimeDistributed.cs).</summary>
internal static class TimeDistributedLowering
{
    /// <summary>
    /// TimeDistributed: the time axis folded into the batch axis, the wrapped layer called once, its outputs unfolded
    /// (inference layers do not mix batch entries, so this equals Keras's per-step calls).
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, TimeDistributedSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        if (x.Shape[2..].Any(d => d < 0)) throw c.Unsupported("TimeDistributed needs fixed sizes after the time axis");
        var folded = g.Reshape(x, [-1, .. x.Shape[2..]]);
        var mask = c.Mask is { } m && m.Rank >= 2 ? g.Reshape(m, [-1, .. m.Shape[2..]]) : null;
        var inner = RecurrentCalls.InnerCall(c, s.Layer, "layer", NestedLayerDescriptions.Child(c.Weights, "layer"));
        var call = c.Inner(inner.Description, [folded], new Dictionary<string, object?>(), mask);
        var outputs = OnnxModelWriter.Lowering(call)(call).Outputs;
        var leading = g.Slice(g.ShapeOf(x), 0, 0, 2);
        return c.Pass(outputs.Select(o =>
        {
            if (o.Shape[1..].Any(d => d < 0)) throw c.Unsupported("TimeDistributed needs the wrapped layer's output sizes to be fixed");
            return g.Node("Reshape", [o, g.Concat([leading, g.Longs(o.Shape[1..])], 0)], o.Type, [x.Dim(0), x.Dim(1), .. o.Shape[1..]]);
        }).ToArray());
    }
}
