using KerasPort.Runtime.Layers.KerasHub.Modeling;
using TorchSharp;

namespace KerasPort.Runtime.Layers.KerasHub.Gemma;

/// <summary>
/// KerasHub's <c>GemmaDecoderBlock</c> (keras_hub/src/models/gemma/gemma_decoder_block.py) and
/// <c>Gemma3DecoderBlock</c> (keras_hub/src/models/gemma3/gemma3_decoder_block.py, text only):
/// <c>x + [post_norm](attention(pre_attention_norm(x)))</c>, then
/// <c>+ [post_norm](ffw_linear(gelu_tanh(ffw_gating(n)) * ffw_gating_2(n)))</c> with <c>n = pre_ffw_norm(...)</c>.
/// The attention mask is causal, and with the <c>padding_mask</c> keyword also hides padded keys. Dropout is inference's identity.
/// </summary>
public sealed class GemmaDecoderBlock : KerasLayer, ICachedDecoderLayer
{
    const string PaddingMask = "padding_mask";

    readonly GemmaDecoderBlockSpec spec;
    readonly HubSublayers sublayers;
    readonly GemmaRMSNormalization preAttentionNorm, preFfwNorm;
    readonly GemmaRMSNormalization? postAttentionNorm, postFfwNorm;
    readonly CachedGemmaAttention attention;
    readonly KerasLayer gating, gating2, linear;

    /// <summary>Builds the block.</summary>
    public GemmaDecoderBlock(LayerContext context, GemmaDecoderBlockSpec spec) : base(context)
    {
        this.spec = spec;
        sublayers = new HubSublayers(context);
        preAttentionNorm = Norm("pre_attention_norm");
        postAttentionNorm = spec.UsePostAttentionNorm ? Norm("post_attention_norm") : null;
        attention = sublayers.Own(new CachedGemmaAttention(sublayers.HubContext("attention", "CachedGemmaAttention", []), spec));
        preFfwNorm = Norm("pre_ffw_norm");
        postFfwNorm = spec.UsePostFfwNorm ? Norm("post_ffw_norm") : null;
        gating = sublayers.EinsumDense("gating_ffw", "btd,df->btf", null, spec.FeedForwardDim);
        gating2 = sublayers.EinsumDense("gating_ffw_2", "btd,df->btf", null, spec.FeedForwardDim);
        linear = sublayers.EinsumDense("ffw_linear", "btf,fd->btd", null, spec.HiddenDim);
    }

    GemmaRMSNormalization Norm(string attribute) => GemmaRMSNormalization.Sublayer(sublayers, attribute, spec.LayerNormEpsilon);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var padding = arguments.Kwargs.GetValueOrDefault(PaddingMask) as Tensor;
        using var mask = AttentionMask(x, padding, x.size(1), 0);
        return [Forward(x, mask, null, 0).Output];
    }

    /// <inheritdoc />
    public Tensor EmptyCache(long batch, long maxLength, Device device) =>
        zeros([batch, 2, maxLength, spec.NumKeyValueHeads, spec.HeadDim], ScalarType.Float32, device);

    /// <inheritdoc />
    public (Tensor Output, Tensor Cache) CallWithCache(Tensor x, Tensor cache, long cacheUpdateIndex)
    {
        using var mask = AttentionMask(x, null, cache.size(2), cacheUpdateIndex);
        var (output, updated) = Forward(x, mask, cache, cacheUpdateIndex);
        return (output, updated!);
    }

    /// <summary>
    /// gemma_decoder_block.py <c>_compute_attention_mask</c>: the causal mask of <c>[batch, steps, keys]</c> for queries
    /// starting at <paramref name="cacheUpdateIndex"/> (transformer_layer_utils.py <c>compute_causal_mask</c>), and with
    /// a padding mask, only unpadded keys.
    /// </summary>
    static Tensor AttentionMask(Tensor x, Tensor? padding, long keys, long cacheUpdateIndex)
    {
        using var scope = NewDisposeScope();
        long steps = x.size(1);
        var queryPositions = arange(Of(cacheUpdateIndex), Of(cacheUpdateIndex + steps), Of(1L), ScalarType.Int64, x.device).unsqueeze(1);
        var causal = queryPositions.ge(arange(Of(0L), Of(keys), Of(1L), ScalarType.Int64, x.device).unsqueeze(0)).unsqueeze(0).expand(x.size(0), steps, keys);
        var mask = padding is null ? causal : causal.logical_and(padding.ne(Of(0)).unsqueeze(1));
        return mask.MoveToOuterDisposeScope();
    }

    (Tensor Output, Tensor? Cache) Forward(Tensor x, Tensor mask, Tensor? cache, long cacheUpdateIndex)
    {
        using var scope = NewDisposeScope();
        var (attended, updated) = attention.Attend(preAttentionNorm.Normalize(x), mask, cache, cacheUpdateIndex);
        if (postAttentionNorm is not null) attended = postAttentionNorm.Normalize(attended);
        var attentionX = x.to_type(ScalarType.Float32).Plus(attended);
        var normalized = preFfwNorm.Normalize(attentionX);
        var gate = nn.functional.gelu(HubSublayers.Apply(gating, normalized), TorchSharp.Modules.GELU.Approximate.tanh);
        var ffw = HubSublayers.Apply(linear, gate * HubSublayers.Apply(gating2, normalized));
        if (postFfwNorm is not null) ffw = postFfwNorm.Normalize(ffw);
        var output = ffw.Plus(attentionX);
        return (output.MoveToOuterDisposeScope(), updated?.MoveToOuterDisposeScope());
    }

    /// <summary>A KerasHub block does not propagate a Keras mask.</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            sublayers.Dispose();
        base.Dispose(disposing);
    }
}
