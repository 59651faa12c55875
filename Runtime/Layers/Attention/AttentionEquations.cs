namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// The einsum equations of <c>MultiHeadAttention</c>, built exactly as keras/src/layers/attention/multi_head_attention.py
/// builds them (<c>_build_proj_equation</c>, <c>_build_attention_equation</c>): letters are <c>a</c>, <c>b</c>, ...
/// in axis order, so the equations (and the weight layouts they imply) match Keras's for any rank and
/// <c>attention_axes</c>.
/// </summary>
internal static class AttentionEquations
{
    static char Letter(int index) => (char)('a' + index);

    /// <summary>
    /// The projection equation of an <c>EinsumDense</c> sub-layer: <paramref name="freeDims"/> axes pass through,
    /// <paramref name="boundDims"/> axes are contracted with the kernel, <paramref name="outputDims"/> axes are new.
    /// Returns the equation, the bias letters (the new axes) and the output rank.
    /// </summary>
    public static (string Equation, string BiasAxes, int OutputRank) Projection(int freeDims, int boundDims, int outputDims)
    {
        string input = "", kernel = "", output = "", bias = "";
        for (int i = 0; i < freeDims; i++)
        {
            input += Letter(i);
            output += Letter(i);
        }
        for (int i = 0; i < boundDims; i++)
        {
            input += Letter(freeDims + i);
            kernel += Letter(freeDims + i);
        }
        for (int i = 0; i < outputDims; i++)
        {
            var c = Letter(freeDims + boundDims + i);
            kernel += c;
            output += c;
            bias += c;
        }
        return ($"{input},{kernel}->{output}", bias, output.Length);
    }

    /// <summary>
    /// The query-key dot product (<c>key, query -> scores</c>) and the combination (<c>scores, value -> output</c>)
    /// for projected tensors of rank <paramref name="rank"/> laid out as
    /// <c>(batch, &lt;non-attention axes&gt;, &lt;attention axes&gt;, heads, channels)</c>. The scores are
    /// <c>(&lt;batch axes incl. heads&gt;, &lt;query attention axes&gt;, &lt;key attention axes&gt;)</c>.
    /// </summary>
    public static (string DotProduct, string Combine, int ScoresRank) Attention(int rank, IReadOnlyList<int> attentionAxes)
    {
        var target = new string(Enumerable.Range(0, rank).Select(Letter).ToArray());
        // The batch axes include the heads axis (rank - 2); the channels axis (rank - 1) is contracted.
        var batchAxes = Enumerable.Range(0, rank).Where(i => !attentionAxes.Contains(i) && i != rank - 1).ToList();
        int offset = rank;
        var source = new char[rank];
        for (int i = 0; i < rank; i++)
            source[i] = batchAxes.Contains(i) || i == rank - 1 ? target[i] : Letter(offset++);
        var product = new string(batchAxes.Select(i => target[i])
            .Concat(attentionAxes.Select(i => target[i]))
            .Concat(attentionAxes.Select(i => source[i])).ToArray());
        var sourceNotation = new string(source);
        return ($"{sourceNotation},{target}->{product}", $"{product},{sourceNotation}->{target}", product.Length);
    }
}
