namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>T5Backbone</c> (keras_hub/src/models/t5/t5_backbone.py <c>__init__</c>): one token embedding shared by
/// the encoder and the decoder; each stack is dropout, <c>num_layers</c> T5TransformerLayers (the first computes the
/// relative position bias with the padding mask folded in, and each passes it on as its second output), a final
/// T5LayerNorm and dropout. The decoder layers attend causally and over the encoder output. The output is a dict,
/// <c>decoder_sequence_output</c> and <c>encoder_sequence_output</c> (sorted keys).
/// </summary>
public sealed class T5Backbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>T5Backbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var spec = T5BackboneSpec.Read(arguments);
        int layers = spec.NumLayers;
        JsonObject Layer(bool decoder, int index) => new()
        {
            ["is_decoder"] = decoder, ["hidden_dim"] = spec.HiddenDim, ["intermediate_dim"] = spec.IntermediateDim,
            ["key_value_dim"] = spec.KeyValueDim, ["dropout"] = spec.Dropout, ["activation"] = spec.Activation,
            ["layer_norm_epsilon"] = spec.LayerNormEpsilon, ["num_heads"] = spec.NumHeads,
            ["use_gated_activation"] = spec.UseGatedActivation, ["use_relative_attention_bias"] = index == 0,
        };
        JsonObject Dropout() => new() { ["rate"] = spec.Dropout };
        JsonObject Norm() => new() { ["epsilon"] = spec.LayerNormEpsilon };
        // x[:, None, :]
        JsonObject All() => new() { ["class_name"] = "__slice__", ["config"] = new JsonObject { ["start"] = null, ["stop"] = null, ["step"] = null } };
        object?[] NewAxis() => [All(), null, All()];

        var graph = new HubGraph();
        var encoderTokens = graph.Input("encoder_token_ids", "int32", [null]);
        var encoderPadding = graph.Input("encoder_padding_mask", "int32", [null]);
        var decoderTokens = graph.Input("decoder_token_ids", "int32", [null]);
        var decoderPadding = graph.Input("decoder_padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var embedding = new JsonObject { ["input_dim"] = spec.VocabularySize, ["output_dim"] = spec.HiddenDim, ["tie_weights"] = spec.TieEmbeddingWeights };
        var x = graph.Call("token_embedding", "ReversibleEmbedding", embedding, encoderTokens);
        x = graph.Call("encoder_embedding_dropout", "Dropout", Dropout(), x);
        var encoderMask = graph.CallWith("get_item", "ops.GetItem", [], [encoderPadding, NewAxis()], new Dictionary<string, object?>());
        object? bias = null;
        for (int i = 0; i < layers; i++)
        {
            var output = graph.CallWith($"transformer_encoder_layer_{i}", "keras_hub>T5TransformerLayer", Layer(false, i), [x],
                new Dictionary<string, object?> { ["attention_mask"] = encoderMask, ["position_bias"] = bias, ["use_causal_mask"] = false });
            (x, bias) = (output, HubGraph.Output(output, 1));
        }
        x = graph.Call("encoder_output_layer_norm", "keras_hub>T5LayerNorm", Norm(), x);
        var encoderOutput = graph.Call("encoder_output_dropout", "Dropout", Dropout(), x);

        x = graph.Call("token_embedding", "ReversibleEmbedding", embedding, decoderTokens);
        x = graph.Call("decoder_embedding_dropout", "Dropout", Dropout(), x);
        var decoderMask = graph.CallWith("get_item_1", "ops.GetItem", [], [decoderPadding, NewAxis()], new Dictionary<string, object?>());
        bias = null;
        for (int i = 0; i < layers; i++)
        {
            var output = graph.CallWith($"transformer_decoder_layer_{i}", "keras_hub>T5TransformerLayer", Layer(true, i), [x],
                new Dictionary<string, object?>
                {
                    ["attention_mask"] = decoderMask, ["position_bias"] = bias, ["encoder_hidden_states"] = encoderOutput,
                    ["encoder_attention_mask"] = encoderMask, ["use_causal_mask"] = true,
                });
            (x, bias) = (output, HubGraph.Output(output, 1));
        }
        x = graph.Call("decoder_output_layer_norm", "keras_hub>T5LayerNorm", Norm(), x);
        var decoderOutput = graph.Call("decoder_output_dropout", "Dropout", Dropout(), x);
        return graph.Build(arguments.Name, [decoderOutput, encoderOutput], ["decoder_sequence_output", "encoder_sequence_output"]);
    }
}
