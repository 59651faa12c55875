namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// The attention einsum equations of <c>MultiHeadAttention</c>, built exactly as keras/src/layers/attention/multi_head_attention.py
/// builds them (<c>_build_attention_equation</c>): letters are <c>a</c>, <c>b</c>, ... in axis order, so the
/// equations match Keras's for any rank and <c>attention_axes</c>. (The projections' <c>_build_proj_equation</c>
/// always contracts trailing input axes with leading kernel axes; <see cref="EinsumProjection"/> runs it as a matrix product.)
/// </summary>
internal static class AttentionEquations
{
    static char Letter(int index) => (char)('a' + index);

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
