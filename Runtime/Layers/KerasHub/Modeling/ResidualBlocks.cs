using KerasPort.Runtime.Layers.Attention;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// The residual blocks keras_hub's TransformerEncoder and TransformerDecoder share (transformer_encoder.py and
/// transformer_decoder.py <c>call</c>): <c>x + dropout(body(norm(x)))</c> with <c>normalize_first</c>, else
/// <c>norm(x + dropout(body(x)))</c>; and the feed-forward body, <c>Dense(hidden)(Dense(intermediate, activation)(x))</c>.
/// </summary>
internal sealed class ResidualBlocks
{
    readonly bool normalizeFirst;
    readonly KerasLayer intermediate, output, feedforwardNorm, feedforwardDropout;

    /// <summary>Creates the feed-forward sublayers (<c>_feedforward_*</c>) among <paramref name="sublayers"/>.</summary>
    public ResidualBlocks(HubSublayers sublayers, bool normalizeFirst, int intermediateDim, int hiddenDim, string activation, double epsilon, double dropout)
    {
        this.normalizeFirst = normalizeFirst;
        feedforwardNorm = sublayers.LayerNorm("_feedforward_layer_norm", epsilon);
        intermediate = sublayers.Dense("_feedforward_intermediate_dense", intermediateDim, activation);
        output = sublayers.Dense("_feedforward_output_dense", hiddenDim);
        feedforwardDropout = sublayers.Dropout("_feedforward_dropout", dropout);
    }

    /// <summary>One residual block around <paramref name="body"/>, with its <paramref name="norm"/> and <paramref name="dropout"/> layers.</summary>
    public Tensor Residual(Tensor x, CallArguments call, KerasLayer norm, KerasLayer dropout, Func<Tensor, Tensor> body)
    {
        var residual = x;
        if (normalizeFirst) x = HubSublayers.Apply(norm, call, x);
        x = HubSublayers.Apply(dropout, call, body(x)).Plus(residual);
        return normalizeFirst ? x : HubSublayers.Apply(norm, call, x);
    }

    /// <summary>The feed-forward residual block.</summary>
    public Tensor FeedForward(Tensor x, CallArguments call) => Residual(x, call, feedforwardNorm, feedforwardDropout,
        y => HubSublayers.Apply(output, call, HubSublayers.Apply(intermediate, call, y)));

    /// <summary>
    /// transformer_layer_utils.py <c>merge_padding_and_attention_mask</c>: the padding mask <c>(batch, S)</c> as
    /// <c>(batch, 1, S)</c>, and-ed with the attention mask <c>(batch, T, S)</c>; both as booleans (non-zero allows).
    /// </summary>
    public static Tensor? PaddingAndAttentionMask(Tensor? paddingMask, Tensor? attentionMask) =>
        AttentionMath.And(paddingMask?.ne(Of(0)).unsqueeze(1), attentionMask?.ne(Of(0)));
}
