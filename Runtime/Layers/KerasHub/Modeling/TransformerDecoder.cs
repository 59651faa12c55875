using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.Attention;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// keras_hub <c>TransformerDecoder</c> (keras_hub/src/layers/modeling/transformer_decoder.py): causal self-attention,
/// cross-attention over the encoder sequence (when built with one), then Dense(intermediate, activation) and
/// Dense(hidden); each block is a residual with its LayerNormalization before (<c>normalize_first</c>) or after it.
/// Also keras_hub's <c>WhisperDecoder</c>, whose attention layers are WhisperCachedMultiHeadAttention.
/// </summary>
/// <remarks>
/// The graph call takes keras_hub's signature (<c>decoder_sequence, encoder_sequence=None, decoder_padding_mask=None,
/// decoder_attention_mask=None, encoder_padding_mask=None, encoder_attention_mask=None, self_attention_cache=None,
/// self_attention_cache_update_index=None, cross_attention_cache=None, cross_attention_cache_update_index=None,
/// use_causal_mask=True</c>); <see cref="Decode"/> is the typed form a generation loop calls with its caches (their
/// layout is <see cref="CachedMultiHeadAttention"/>'s).
/// </remarks>
public sealed class TransformerDecoder : KerasLayer
{
    readonly TransformerDecoderSpec spec;
    readonly HubSublayers sublayers;
    readonly CachedMultiHeadAttention selfAttention;
    readonly KerasLayer selfAttentionNorm, selfAttentionDropout;
    readonly ResidualBlocks blocks;
    readonly CachedMultiHeadAttention? crossAttention;
    readonly KerasLayer? crossAttentionNorm, crossAttentionDropout;

    /// <summary>Builds the layer and its sublayers, in the order its <c>build</c> creates them.</summary>
    public TransformerDecoder(LayerContext context, TransformerDecoderSpec spec) : base(context)
    {
        this.spec = spec;
        sublayers = new HubSublayers(context);
        selfAttention = Attention("_self_attention_layer", "self_attention");
        selfAttentionNorm = sublayers.LayerNorm("_self_attention_layer_norm", spec.LayerNormEpsilon);
        selfAttentionDropout = sublayers.Dropout("_self_attention_dropout", spec.Dropout);
        if (spec.HasCrossAttention)
        {
            crossAttention = Attention("_cross_attention_layer", "cross_attention");
            crossAttentionNorm = sublayers.LayerNorm("_cross_attention_layer_norm", spec.LayerNormEpsilon);
            crossAttentionDropout = sublayers.Dropout("_cross_attention_dropout", spec.Dropout);
        }
        blocks = new ResidualBlocks(sublayers, spec.NormalizeFirst, spec.IntermediateDim, spec.HiddenDim, spec.Activation, spec.LayerNormEpsilon, spec.Dropout);
    }

    CachedMultiHeadAttention Attention(string attribute, string name) => (CachedMultiHeadAttention)sublayers.Create(
        HubSublayerDescriptions.Attention(sublayers.Owner, attribute, name, spec.AttentionClass, spec.NumHeads, spec.HeadDim, spec.Dropout));

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        object? Argument(int position, string name) => HubSublayers.Argument(arguments, position, name);
        Tensor? TensorAt(int position, string name) => Argument(position, name) as Tensor;
        long? IndexAt(int position, string name) => HubSublayers.Index(Argument(position, name));
        var decoderSequence = TensorAt(0, "decoder_sequence") ?? throw new FormatException($"layer '{Name}' is called without a decoder_sequence");
        var encoderSequence = TensorAt(1, "encoder_sequence");
        var selfCache = TensorAt(6, "self_attention_cache");
        var crossCache = TensorAt(8, "cross_attention_cache");
        bool causal = Argument(10, "use_causal_mask") is not JsonValue flag || !flag.TryGetValue<bool>(out var useCausal) || useCausal;
        var step = Decode(new DecoderCall(decoderSequence, arguments)
        {
            EncoderSequence = encoderSequence,
            // merge_padding_and_attention_mask: an explicit padding mask wins over the one the sequence carries.
            DecoderPaddingMask = TensorAt(2, "decoder_padding_mask") ?? arguments.MaskOf(decoderSequence),
            DecoderAttentionMask = TensorAt(3, "decoder_attention_mask"),
            EncoderPaddingMask = TensorAt(4, "encoder_padding_mask") ?? (encoderSequence is null ? null : arguments.MaskOf(encoderSequence)),
            EncoderAttentionMask = TensorAt(5, "encoder_attention_mask"),
            SelfAttentionCache = selfCache,
            SelfAttentionCacheUpdateIndex = IndexAt(7, "self_attention_cache_update_index"),
            CrossAttentionCache = crossCache,
            CrossAttentionCacheUpdateIndex = IndexAt(9, "cross_attention_cache_update_index"),
            UseCausalMask = causal,
        });
        if (selfCache is null) return [step.Output];
        return crossAttention is null ? [step.Output, step.SelfAttentionCache!] : [step.Output, step.SelfAttentionCache!, step.CrossAttentionCache!];
    }

    /// <summary>
    /// One decoder pass: the graph call's computation with typed arguments. With caches, the self-attention cache is
    /// updated at <see cref="DecoderCall.SelfAttentionCacheUpdateIndex"/> and the causal mask lets position <c>i + t</c>
    /// see cache positions up to itself (transformer_layer_utils.py <c>compute_causal_mask</c>).
    /// </summary>
    public DecoderStep Decode(DecoderCall call)
    {
        if (crossAttention is null != call.EncoderSequence is null)
            throw new ArgumentException(crossAttention is null
                ? $"layer '{Name}' was built without cross-attention but is called with an encoder_sequence"
                : $"layer '{Name}' was built with cross-attention but is called without an encoder_sequence");
        if (crossAttention is not null && call.SelfAttentionCache is null != call.CrossAttentionCache is null)
            throw new ArgumentException($"layer '{Name}': self_attention_cache and cross_attention_cache must both be set or both be None");
        Tensor? selfCache = null, crossCache = null;
        var x = blocks.Residual(call.DecoderSequence, call.Arguments, selfAttentionNorm, selfAttentionDropout, y =>
        {
            (var attended, selfCache) = selfAttention.Attend(y, y, null, SelfAttentionMask(call), call.SelfAttentionCache, call.SelfAttentionCacheUpdateIndex);
            return attended;
        });
        if (crossAttention is not null)
            x = blocks.Residual(x, call.Arguments, crossAttentionNorm!, crossAttentionDropout!, y =>
            {
                (var attended, crossCache) = crossAttention.Attend(y, call.EncoderSequence!, null,
                    ResidualBlocks.PaddingAndAttentionMask(call.EncoderPaddingMask, call.EncoderAttentionMask), call.CrossAttentionCache, call.CrossAttentionCacheUpdateIndex);
                return attended;
            });
        x = blocks.FeedForward(x, call.Arguments);
        return new DecoderStep(x, selfCache, crossCache);
    }

    /// <summary>TransformerDecoder._compute_self_attention_mask: the padding/attention mask and, unless disabled, the causal mask.</summary>
    static Tensor? SelfAttentionMask(DecoderCall call)
    {
        var mask = ResidualBlocks.PaddingAndAttentionMask(call.DecoderPaddingMask, call.DecoderAttentionMask);
        if (!call.UseCausalMask) return mask;
        var sequence = call.DecoderSequence;
        long outputLength = sequence.Sizes()[1];
        long inputLength = call.SelfAttentionCache is { } cache ? cache.Sizes()[2] : outputLength;
        long start = call.SelfAttentionCacheUpdateIndex ?? 0;
        // i >= j with i = arange(T) + cache index (query positions) and j = arange(S) (key positions).
        var queryPositions = arange(Of(start), Of(start + outputLength), Of(1L), dtype: ScalarType.Int64, device: sequence.device).unsqueeze(1);
        var causal = queryPositions.ge(arange(Of(0L), Of(inputLength), Of(1L), dtype: ScalarType.Int64, device: sequence.device)).unsqueeze(0);
        return AttentionMath.And(mask, causal);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The arguments of one <see cref="TransformerDecoder.Decode"/> pass (masks: non-zero allows).</summary>
/// <param name="DecoderSequence">The decoder input <c>(batch, T, hidden)</c>.</param>
/// <param name="Arguments">The graph call (its training flag reaches the dropouts); <see cref="DecoderCall.Inference"/> for none.</param>
public sealed record DecoderCall(Tensor DecoderSequence, CallArguments Arguments)
{
    /// <summary>A call at inference, outside a graph.</summary>
    public static DecoderCall Inference(Tensor decoderSequence) => new(decoderSequence, new CallArguments([decoderSequence], new Dictionary<string, object?>()));

    /// <summary>The encoder output, for a decoder with cross-attention.</summary>
    public Tensor? EncoderSequence { get; init; }

    /// <summary>Decoder padding mask <c>(batch, T)</c>, or (with a cache) <c>(batch, max_length)</c>.</summary>
    public Tensor? DecoderPaddingMask { get; init; }

    /// <summary>Decoder attention mask <c>(batch, T, S)</c>.</summary>
    public Tensor? DecoderAttentionMask { get; init; }

    /// <summary>Encoder padding mask <c>(batch, S)</c>.</summary>
    public Tensor? EncoderPaddingMask { get; init; }

    /// <summary>Encoder attention mask <c>(batch, T, S)</c>.</summary>
    public Tensor? EncoderAttentionMask { get; init; }

    /// <summary>The self-attention key/value cache (<see cref="CachedMultiHeadAttention"/>'s layout).</summary>
    public Tensor? SelfAttentionCache { get; init; }

    /// <summary>Where this pass's positions are written in the self-attention cache.</summary>
    public long? SelfAttentionCacheUpdateIndex { get; init; }

    /// <summary>The cross-attention key/value cache.</summary>
    public Tensor? CrossAttentionCache { get; init; }

    /// <summary>Where the cross-attention cache is (re)written; null to read it as it is.</summary>
    public long? CrossAttentionCacheUpdateIndex { get; init; }

    /// <summary>Whether self-attention is causal (keras_hub's default).</summary>
    public bool UseCausalMask { get; init; } = true;
}

/// <summary>The result of one <see cref="TransformerDecoder.Decode"/> pass.</summary>
/// <param name="Output">The decoder output <c>(batch, T, hidden)</c>.</param>
/// <param name="SelfAttentionCache">The updated self-attention cache (null without one).</param>
/// <param name="CrossAttentionCache">The cross-attention cache (null without one).</param>
public sealed record DecoderStep(Tensor Output, Tensor? SelfAttentionCache, Tensor? CrossAttentionCache);
