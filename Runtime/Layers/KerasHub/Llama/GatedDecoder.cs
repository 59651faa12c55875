using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Llama;

/// <summary>
/// The decoder block that KerasHub's <c>LlamaTransformerDecoder</c>, <c>MistralTransformerDecoder</c> and
/// <c>QwenTransformerDecoder</c> compute (<see cref="GatedDecoderSpec"/>; llama_decoder.py <c>build</c>, <c>call</c>,
/// <c>_compute_self_attention_mask</c>), each subclass supplying its attention and norm classes. Its sublayers are
/// built in keras-hub's order with their share of the weights (<c>_self_attention_layer/...</c>,
/// <c>_self_attention_layernorm/...</c>, <c>_feedforward_intermediate_dense/...</c>, ...).
/// </summary>
/// <remarks>
/// Call arguments as in keras-hub: the sequence, <c>decoder_padding_mask</c>, <c>decoder_attention_mask</c>,
/// <c>self_attention_cache</c> and <c>self_attention_cache_update_index</c>; with a cache the layer returns the output
/// and the updated cache (see <see cref="CausalSelfAttention"/> for its layout), as a generation loop calls it.
/// </remarks>
public abstract class GatedDecoder : KerasLayer, ICachedDecoderLayer
{
    readonly HubSublayers sublayers;
    readonly CausalSelfAttention attention;
    readonly RmsLayerNorm attentionNorm, feedforwardNorm;
    readonly KerasLayer intermediateDense, gateDense, outputDense;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the sublayers; <paramref name="createAttention"/> and <paramref name="createNorm"/> make the family's classes.</summary>
    protected GatedDecoder(LayerContext context, GatedDecoderSpec spec,
        Func<LayerContext, CausalAttentionSpec, CausalSelfAttention> createAttention,
        Func<LayerContext, RmsLayerNormSpec, RmsLayerNorm> createNorm) : base(context)
    {
        sublayers = new HubSublayers(context);
        LayerContext Inner(string attribute, string className) => sublayers.HubContext(attribute, className, []);
        var norm = new RmsLayerNormSpec(spec.Epsilon);
        attention = sublayers.Own(createAttention(Inner("_self_attention_layer", spec.AttentionClass), spec.Attention));
        attentionNorm = sublayers.Own(createNorm(Inner("_self_attention_layernorm", spec.NormClass), norm));
        long hidden = context.InputDim(-1) is > 0 and var known ? known
            : context.Weights.FirstOrDefault(w => w.Name == "_feedforward_output_dense/vars/0")?.Value.Shape[1] ?? -1;
        intermediateDense = sublayers.DenseWithoutBias("_feedforward_intermediate_dense", spec.IntermediateDim);
        gateDense = sublayers.DenseWithoutBias("_feedforward_gate_dense", spec.IntermediateDim);
        outputDense = sublayers.DenseWithoutBias("_feedforward_output_dense", hidden);
        feedforwardNorm = sublayers.Own(createNorm(Inner("_feedforward_layernorm", spec.NormClass), norm));
        activation = context.ActivationFunction(spec.Activation);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var kwargs = arguments.Kwargs;
        var (result, cache) = Decode(arguments.Input,
            kwargs.GetValueOrDefault("decoder_padding_mask") as Tensor, kwargs.GetValueOrDefault("decoder_attention_mask") as Tensor,
            kwargs.GetValueOrDefault("self_attention_cache") as Tensor,
            CausalSelfAttention.CacheIndex(kwargs.GetValueOrDefault("self_attention_cache_update_index")));
        return cache is null ? [result] : [result, cache];
    }

    /// <summary>
    /// The block on <paramref name="sequence"/> (<c>(batch, length, hidden_dim)</c>): returns the output and, with a
    /// <paramref name="cache"/>, the cache updated at <paramref name="cacheUpdateIndex"/>.
    /// </summary>
    public (Tensor Output, Tensor? Cache) Decode(Tensor sequence, Tensor? paddingMask, Tensor? attentionMask, Tensor? cache, long? cacheUpdateIndex)
    {
        var mask = SelfAttentionMask(sequence, paddingMask, attentionMask, cache, cacheUpdateIndex);
        var (attended, updated) = attention.Attend(attentionNorm.Normalize(sequence), mask, cache, cacheUpdateIndex);
        var x = attended.Plus(sequence);
        var normalized = feedforwardNorm.Normalize(x);
        // The gate's activation runs in float32 (llama_decoder.py call).
        var gate = activation(HubSublayers.Apply(gateDense, normalized).to_type(ScalarType.Float32)).to_type(x.dtype);
        var output = HubSublayers.Apply(outputDense, HubSublayers.Apply(intermediateDense, normalized) * gate);
        return (output.Plus(x), updated);
    }

    /// <summary>
    /// A zero cache <c>(batch, 2, maxLength, num_key_value_heads, head_dim)</c>, as llama_causal_lm.py
    /// <c>_build_cache</c> makes one layer's share (float32, the compute dtype of these models).
    /// </summary>
    public Tensor EmptyCache(long batch, long maxLength, Device device) =>
        zeros([batch, 2, maxLength, attention.KeyValueHeads, attention.HeadDim], ScalarType.Float32, device);

    /// <inheritdoc />
    public (Tensor Output, Tensor Cache) CallWithCache(Tensor x, Tensor cache, long cacheUpdateIndex)
    {
        var (output, updated) = Decode(x, null, null, cache, cacheUpdateIndex);
        return (output, updated!);
    }

    /// <summary>
    /// llama_decoder.py <c>_compute_self_attention_mask</c>: the padding mask as <c>(batch, 1, keys)</c> (or the explicit
    /// attention mask, or both by minimum) and the causal mask of queries from the cache index over the cache's keys.
    /// </summary>
    static Tensor SelfAttentionMask(Tensor sequence, Tensor? paddingMask, Tensor? attentionMask, Tensor? cache, long? cacheUpdateIndex)
    {
        long outputLength = sequence.size(1), inputLength = cache?.size(2) ?? outputLength;
        var (i, j) = CausalSelfAttention.Positions(outputLength, inputLength, cacheUpdateIndex ?? 0, sequence.device);
        var mask = i.ge(j).unsqueeze(0);
        if (paddingMask is not null) mask = mask.logical_and(paddingMask.ne(Of(0L)).unsqueeze(1));
        if (attentionMask is not null) mask = mask.logical_and(attentionMask.ne(Of(0L)));
        return mask;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            sublayers.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>KerasHub <c>LlamaTransformerDecoder</c> (keras_hub/src/models/llama/llama_decoder.py): see <see cref="GatedDecoder"/>.</summary>
public sealed class LlamaTransformerDecoder(LayerContext context, GatedDecoderSpec spec)
    : GatedDecoder(context, spec, (c, s) => new LlamaAttention(c, s), (c, s) => new LlamaLayerNorm(c, s));
