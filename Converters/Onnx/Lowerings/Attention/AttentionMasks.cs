namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>The masks and masked softmax the attention lowerings share (and keras_hub's transformer lowerings combine).</summary>
internal static class AttentionMasks
{
    /// <summary>What Keras adds to masked float32 logits (keras/src/layers/activations/softmax.py).</summary>
    const double LargeNegative = -1e9;

    /// <summary>Whether the call's boolean keyword <paramref name="name"/> is given and true.</summary>
    internal static bool Flag(OnnxLayerCall c, string name) => c.Kwargs.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;

    /// <summary>Logical and of two optional masks (null: everything allowed), as booleans.</summary>
    internal static OnnxValue? And(OnnxGraph g, OnnxValue? left, OnnxValue? right) =>
        left is null ? right : right is null ? left : g.Compare("And", g.Cast(left, OnnxType.Bool), g.Cast(right, OnnxType.Bool));

    /// <summary>Keras's causal mask <c>[1, Tq, Tv]</c>: query position i sees value positions j &lt;= i.</summary>
    internal static OnnxValue Causal(OnnxLayerCall c, long queryLength, long valueLength)
    {
        if (queryLength < 0 || valueLength < 0) throw c.Unsupported("a causal mask needs fixed sequence lengths");
        var data = new bool[queryLength * valueLength];
        for (long i = 0; i < queryLength; i++)
            for (long j = 0; j <= Math.Min(i, valueLength - 1); j++) data[i * valueLength + j] = true;
        return c.Graph.Bools(data, 1, queryLength, valueLength);
    }

    /// <summary>Softmax over the last <paramref name="axes"/> axes after adding -1e9 where the boolean mask is false.</summary>
    internal static OnnxValue MaskedSoftmax(OnnxGraph g, OnnxValue scores, OnnxValue? mask, int axes)
    {
        if (mask is not null) scores = g.Add(scores, g.Scale(g.Cast(g.Unary("Not", g.Cast(mask, OnnxType.Bool)), OnnxType.Float), LargeNegative));
        if (axes == 1) return g.Softmax(scores, -1);
        var flat = g.Reshape(scores, [.. Enumerable.Repeat(0L, scores.Rank - axes), -1]);
        return g.Node("Reshape", [g.Softmax(flat, -1), g.ShapeOf(scores)], scores.Type, scores.Shape);
    }
}
