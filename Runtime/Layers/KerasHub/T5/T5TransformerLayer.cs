using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.T5;

/// <summary>
/// keras_hub <c>T5TransformerLayer</c> (keras_hub/src/models/t5/t5_transformer_layer.py <c>call</c>); see
/// <see cref="T5TransformerLayerSpec"/>. The graph call takes <c>hidden_states, attention_mask=None, position_bias=None,
/// encoder_hidden_states=None, encoder_attention_mask=None, use_causal_mask=False</c> and returns the hidden states and
/// the self-attention's position bias (which the backbone passes to the next layer of the stack).
/// </summary>
public sealed class T5TransformerLayer : KerasLayer
{
    readonly T5TransformerLayerSpec spec;
    readonly HubSublayers sublayers;
    readonly T5MultiHeadAttention selfAttention;
    readonly T5MultiHeadAttention? crossAttention;
    readonly KerasLayer selfAttentionNorm, selfAttentionDropout, inputProjector, outputProjector, feedForwardNorm, feedForwardDropout;
    readonly KerasLayer? crossAttentionNorm, crossAttentionDropout, gateProjector;

    /// <summary>Builds the sublayers, in the order the constructor creates them.</summary>
    public T5TransformerLayer(LayerContext context, T5TransformerLayerSpec spec) : base(context)
    {
        this.spec = spec;
        sublayers = new HubSublayers(context);
        try
        {
            selfAttention = Attention("self_attention", spec.UseRelativeAttentionBias);
            selfAttentionNorm = Norm("self_attention_layer_norm");
            selfAttentionDropout = sublayers.Dropout("self_attention_dropout", spec.Dropout);
            if (spec.IsDecoder)
            {
                crossAttention = Attention("cross_attention", false);
                crossAttentionNorm = Norm("cross_attention_layer_norm");
                crossAttentionDropout = sublayers.Dropout("cross_attention_dropout", spec.Dropout);
            }
            inputProjector = Dense("input_projector", spec.IntermediateDim, spec.Activation);
            if (spec.UseGatedActivation) gateProjector = Dense("gate_projector", spec.IntermediateDim, "linear");
            outputProjector = Dense("output_projector", spec.HiddenDim, "linear");
            feedForwardNorm = Norm("layer_norm");
            feedForwardDropout = sublayers.Dropout("dropout_layer", spec.Dropout);
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    T5MultiHeadAttention Attention(string name, bool relativeBias) =>
        (T5MultiHeadAttention)sublayers.Create(name, "keras_hub>T5MultiHeadAttention", new JsonObject
        {
            ["name"] = name, ["is_decoder"] = spec.IsDecoder, ["hidden_dim"] = spec.HiddenDim, ["key_value_dim"] = spec.KeyValueDim,
            ["num_heads"] = spec.NumHeads, ["dropout"] = spec.Dropout, ["use_relative_attention_bias"] = relativeBias,
        });

    KerasLayer Norm(string attribute) =>
        sublayers.Create(attribute, "keras_hub>T5LayerNorm", new JsonObject { ["name"] = attribute, ["epsilon"] = spec.LayerNormEpsilon });

    KerasLayer Dense(string name, int units, string activation) =>
        sublayers.Create(name, "Dense", new JsonObject { ["name"] = name, ["units"] = units, ["activation"] = activation, ["use_bias"] = false });

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        object? Argument(int position, string name) => HubSublayers.Argument(arguments, position, name);
        bool causal = Argument(5, "use_causal_mask") is JsonValue flag && flag.TryGetValue<bool>(out var value) && value;
        var (hidden, bias) = Run(arguments, arguments.Input, Argument(1, "attention_mask") as Tensor, Argument(2, "position_bias") as Tensor,
            Argument(3, "encoder_hidden_states") as Tensor, Argument(4, "encoder_attention_mask") as Tensor, causal);
        return [hidden, bias];
    }

    /// <summary>
    /// The layer on <paramref name="hidden"/> <c>(batch, T, hidden)</c>: masks are <c>(batch, 1 or T, length)</c>, non-zero
    /// where attention is allowed; <paramref name="causal"/> also hides later positions. Returns the hidden states and
    /// the position bias.
    /// </summary>
    public (Tensor Hidden, Tensor PositionBias) Run(CallArguments call, Tensor hidden, Tensor? attentionMask, Tensor? positionBias,
        Tensor? encoderHidden, Tensor? encoderMask, bool causal)
    {
        using var scope = NewDisposeScope();
        if (causal)
        {
            // transformer_layer_utils.compute_causal_mask: position i attends to j <= i, combined with the padding mask.
            long length = hidden.shape[1];
            var lower = ones(length, length, dtype: @bool, device: hidden.device).tril().unsqueeze(0).expand(hidden.shape[0], length, length);
            attentionMask = attentionMask is null ? lower : lower.logical_and(attentionMask.to_type(@bool));
        }
        var (attended, bias) = selfAttention.Attend(call, HubSublayers.Apply(selfAttentionNorm, call, hidden), attentionMask, null, positionBias);
        var x = HubSublayers.Apply(selfAttentionDropout, call, attended).Plus(hidden);
        if (crossAttention is not null)
        {
            var (crossed, _) = crossAttention.Attend(call, HubSublayers.Apply(crossAttentionNorm!, call, x), encoderMask, encoderHidden, null);
            x = HubSublayers.Apply(crossAttentionDropout!, call, crossed).Plus(x);
        }
        var normalized = HubSublayers.Apply(feedForwardNorm, call, x);
        var inner = HubSublayers.Apply(inputProjector, call, normalized);
        if (gateProjector is not null) inner = inner.mul(HubSublayers.Apply(gateProjector, call, normalized));
        var y = HubSublayers.Apply(feedForwardDropout, call, HubSublayers.Apply(outputProjector, call, HubSublayers.Apply(feedForwardDropout, call, inner)));
        return (y.Plus(x).MoveToOuterDisposeScope(), bias.alias().MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
