using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// keras_hub <c>TransformerEncoder</c> (keras_hub/src/layers/modeling/transformer_encoder.py): self-attention under
/// the padding and attention masks, then the feed-forward block, each a residual with its LayerNormalization before
/// (<c>normalize_first</c>) or after. Call: <c>inputs, padding_mask=None, attention_mask=None,
/// return_attention_scores=False</c>; without a padding mask, the mask the input carries. Also keras_hub's
/// <c>WhisperEncoder</c>, whose attention is a WhisperCachedMultiHeadAttention.
/// </summary>
public sealed class TransformerEncoder : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer selfAttention, selfAttentionNorm, selfAttentionDropout;
    readonly ResidualBlocks blocks;

    /// <summary>Builds the layer and its sublayers.</summary>
    public TransformerEncoder(LayerContext context, TransformerEncoderSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        selfAttention = sublayers.Create(HubSublayerDescriptions.Attention(context, "_self_attention_layer", "self_attention_layer",
            spec.AttentionClass, spec.NumHeads, spec.HeadDim, spec.Dropout));
        selfAttentionNorm = sublayers.LayerNorm("_self_attention_layer_norm", spec.LayerNormEpsilon);
        selfAttentionDropout = sublayers.Dropout("_self_attention_dropout", spec.Dropout);
        blocks = new ResidualBlocks(sublayers, spec.NormalizeFirst, spec.IntermediateDim, spec.HiddenDim, spec.Activation, spec.LayerNormEpsilon, spec.Dropout);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        object? Argument(int position, string name) => HubSublayers.Argument(arguments, position, name);
        var inputs = Argument(0, "inputs") as Tensor ?? throw new FormatException($"layer '{Name}' is called without inputs");
        var mask = ResidualBlocks.PaddingAndAttentionMask(Argument(1, "padding_mask") as Tensor ?? arguments.MaskOf(inputs), Argument(2, "attention_mask") as Tensor);
        bool returnScores = Argument(4, "return_attention_scores") is JsonValue flag && flag.TryGetValue<bool>(out var scores) && scores;
        Tensor? attentionScores = null;
        var x = blocks.Residual(inputs, arguments, selfAttentionNorm, selfAttentionDropout, y =>
        {
            var kwargs = new Dictionary<string, object?> { ["attention_mask"] = mask, ["return_attention_scores"] = JsonValue.Create(returnScores) };
            var attended = selfAttention.Call(arguments.ForInner([y, y], kwargs, null));
            if (returnScores) attentionScores = attended[1];
            return attended[0];
        });
        x = blocks.FeedForward(x, arguments);
        return attentionScores is null ? [x] : [x, attentionScores];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
