namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// What <c>Attention</c> and <c>AdditiveAttention</c> do once they have their <c>[batch, Tq, Tv]</c> scores
/// (keras/src/layers/attention/attention.py <c>_calculate_score_mask</c>, <c>_apply_scores</c>, <c>call</c>).
/// </summary>
internal static class DenseAttention
{
    /// <summary>
    /// Masks the scores (value mask as <c>[batch, 1, Tv]</c>, and the causal mask when asked for by the call or by
    /// the tf.keras config flag <paramref name="causalByConfig"/>), softmaxes them over Tv, mixes the values and
    /// zeroes the rows the query mask hides. Returns the output, and the attention scores when the call asks for them.
    /// </summary>
    public static Tensor[] Apply(Tensor scores, AttentionArguments call, bool causalByConfig)
    {
        // Keras >= 3.12 and tf.keras expand the [batch, Tv] value mask to [batch, 1, Tv] (keras-team/keras#21595);
        // earlier Keras 3 releases failed to broadcast it.
        var scoresMask = call.ValueMask?.unsqueeze(-2);
        if (call.UseCausalMask || causalByConfig)
            scoresMask = AttentionMath.And(scoresMask, AttentionMath.CausalMask(scores.Sizes()[^2], scores.Sizes()[^1], scores.device));
        var weights = AttentionMath.MaskedSoftmax(scores, scoresMask, 1);
        var result = weights.MatmulChecked(call.Value);
        if (call.QueryMask is { } queryMask) result = result * queryMask.unsqueeze(-1).to_type(result.dtype);
        return call.ReturnScores ? [result, weights] : [result];
    }
}
