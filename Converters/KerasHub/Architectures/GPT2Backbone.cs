namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>GPT2Backbone</c> (keras_hub/src/models/gpt2/gpt2_backbone.py <c>__init__</c>): token embedding plus a
/// learned position embedding, dropout, <c>num_layers</c> pre-LN TransformerDecoders (causal self-attention under the
/// padding mask, tanh-approximate gelu) and a final LayerNormalization (epsilon 1e-5).
/// </summary>
public sealed class GPT2Backbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>GPT2Backbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var (vocabulary, layers, heads, hidden, intermediate, dropout, maxLength) = GPT2BackboneSpec.Read(arguments);
        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var tokens = graph.Call("token_embedding", "ReversibleEmbedding", HubLayers.TokenEmbedding(vocabulary, hidden), tokenIds);
        var positions = graph.Call("position_embedding", "keras_hub>PositionEmbedding", HubLayers.PositionEmbedding(maxLength), tokens);
        var x = graph.Call("embeddings_add", "Add", [], tokens, positions);
        x = graph.Call("embeddings_dropout", "Dropout", HubLayers.Dropout(dropout), x);
        for (int i = 0; i < layers; i++)
            x = graph.CallWith($"transformer_layer_{i}", "keras_hub>TransformerDecoder", HubLayers.TransformerDecoder(hidden, intermediate, heads, dropout,
                "gelu_approximate", 1e-5, normalizeFirst: true), [x], new Dictionary<string, object?> { ["decoder_padding_mask"] = paddingMask });
        var output = graph.Call("layer_norm", "LayerNormalization", HubLayers.LayerNorm(1e-5), x);
        return graph.Build(arguments.Name, [output]);
    }
}
