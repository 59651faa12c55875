namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>WhisperBackbone</c> (keras_hub/src/models/whisper/whisper_backbone.py <c>__init__</c>). Audio encoder:
/// Conv1D(k3, same) and exact gelu, a one-step pad each side (<c>Padder</c>), Conv1D(k3, stride 2, valid) and exact
/// gelu, a frozen position embedding of <c>max_encoder_sequence_length // 2</c> rows, dropout, <c>num_layers</c> pre-LN
/// WhisperEncoders and a LayerNormalization. Text decoder: TokenAndPositionEmbedding, dropout, <c>num_layers</c> pre-LN
/// WhisperDecoders (causal self-attention under the padding mask, cross-attention over the encoder output) and a
/// LayerNormalization. Epsilons 1e-5, exact gelu. Dict output: <c>decoder_sequence_output</c>,
/// <c>encoder_sequence_output</c> (flattened in key order).
/// </summary>
public sealed class WhisperBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>WhisperBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var (vocabulary, layers, heads, hidden, intermediate, mels, dropout, maxEncoderLength, maxDecoderLength) = WhisperBackboneSpec.Read(arguments);
        var graph = new HubGraph();
        var features = graph.Input("encoder_features", "float32", null, mels);
        var tokenIds = graph.Input("decoder_token_ids", "int32", [null]);
        var paddingMask = graph.Input("decoder_padding_mask", "int32", [null]);
        graph.SortInputsByName();

        JsonObject Conv(int strides, string padding) => new()
        {
            ["filters"] = hidden, ["kernel_size"] = new JsonArray(3), ["strides"] = new JsonArray(strides), ["padding"] = padding,
        };
        // keras.activations.gelu(x, approximate=False) between layers: a Gelu op node.
        TensorRef Gelu(string name, TensorRef x) => graph.CallWith(name, "ops.Gelu", new JsonObject { ["approximate"] = false }, [x], new Dictionary<string, object?>());
        var x = Gelu("gelu", graph.Call("encoder_token_embedding_conv_layer_1", "Conv1D", Conv(1, "same"), features));
        x = graph.Call("encoder_padder", "keras_hub>Padder", [], x);
        x = Gelu("gelu_1", graph.Call("encoder_token_embedding_conv_layer_2", "Conv1D", Conv(2, "valid"), x));
        var positionConfig = HubLayers.PositionEmbedding(maxEncoderLength / 2);
        positionConfig["trainable"] = false;
        var positions = graph.Call("encoder_position_embedding", "keras_hub>PositionEmbedding", positionConfig, x);
        x = graph.Call("encoder_embeddings_add", "Add", [], x, positions);
        x = graph.Call("encoder_embeddings_dropout", "Dropout", HubLayers.Dropout(dropout), x);
        for (int i = 0; i < layers; i++)
            x = graph.Call($"transformer_encoder_layer_{i}", "keras_hub>WhisperEncoder",
                HubLayers.TransformerEncoder(intermediate, heads, dropout, "gelu", 1e-5, normalizeFirst: true), x);
        var encoderOutput = graph.Call("encoder_layer_norm", "LayerNormalization", HubLayers.LayerNorm(1e-5), x);

        x = graph.Call("decoder_token_and_position_embedding", "keras_hub>TokenAndPositionEmbedding", new JsonObject
        {
            ["vocabulary_size"] = vocabulary, ["sequence_length"] = maxDecoderLength, ["embedding_dim"] = hidden, ["tie_weights"] = true, ["mask_zero"] = false,
        }, tokenIds);
        x = graph.Call("decoder_embeddings_dropout", "Dropout", HubLayers.Dropout(dropout), x);
        for (int i = 0; i < layers; i++)
            x = graph.CallWith($"transformer_decoder_layer_{i}", "keras_hub>WhisperDecoder",
                HubLayers.TransformerDecoder(hidden, intermediate, heads, dropout, "gelu", 1e-5, normalizeFirst: true, encoderHidden: hidden), [],
                new Dictionary<string, object?> { ["decoder_sequence"] = x, ["encoder_sequence"] = encoderOutput, ["decoder_padding_mask"] = paddingMask });
        var decoderOutput = graph.Call("decoder_layer_norm", "LayerNormalization", HubLayers.LayerNorm(1e-5), x);
        return graph.Build(arguments.Name, [decoderOutput, encoderOutput], ["decoder_sequence_output", "encoder_sequence_output"]);
    }
}
