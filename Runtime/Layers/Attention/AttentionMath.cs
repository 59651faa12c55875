namespace KerasPort.Runtime.Layers.Attention;

/// <summary>The masked softmax and causal mask shared by every attention layer.</summary>
internal static class AttentionMath
{
    /// <summary>
    /// What Keras adds to a masked float32 logit before the softmax: -1e9 (keras/src/layers/activations/softmax.py
    /// <c>_large_negative_number</c>, used by MultiHeadAttention and GroupedQueryAttention; keras/src/layers/attention/attention.py
    /// <c>_apply_scores</c> subtracts the same 1e9). Not -inf, so a fully masked row comes out uniform, not NaN.
    /// </summary>
    const double LargeNegative = -1e9;

    /// <summary>
    /// Softmax over the last <paramref name="axes"/> axes of <paramref name="scores"/>, after adding
    /// <see cref="LargeNegative"/> where the boolean <paramref name="mask"/> (broadcast against the scores) is false.
    /// </summary>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor? mask, int axes)
    {
        if (mask is not null) scores = scores.Plus(mask.logical_not().to_type(scores.dtype) * Of(LargeNegative));
        if (axes == 1) return scores.softmax(-1);
        // Keras normalizes over several trailing axes jointly (exp(x - logsumexp(x, axes))): the same as a
        // softmax over those axes flattened into one.
        var shape = scores.Sizes();
        return scores.flatten(shape.Length - axes).softmax(-1).reshape(shape);
    }

    /// <summary>
    /// Keras's causal mask of shape <c>[1, Tq, Tv]</c>: query position <c>i</c> sees value positions <c>j &lt;= i</c>
    /// (Keras builds it as <c>cumsum(ones, -2) &gt;= cumsum(ones, -1)</c>, i.e. the lower triangle, also when Tq != Tv).
    /// </summary>
    public static Tensor CausalMask(long queryLength, long valueLength, Device device) =>
        ones(queryLength, valueLength, ScalarType.Bool, device).tril().unsqueeze(0);

    /// <summary>Logical and of two optional boolean masks (null means "everything allowed").</summary>
    public static Tensor? And(Tensor? left, Tensor? right) =>
        left is null ? right : right is null ? left : left.logical_and(right);
}
