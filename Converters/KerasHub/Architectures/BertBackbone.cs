namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// keras_hub <c>BertBackbone</c> (keras_hub/src/models/bert/bert_backbone.py <c>__init__</c>): token, position and
/// segment embeddings summed, LayerNormalization (epsilon 1e-12) and dropout, <c>num_layers</c> post-LN
/// TransformerEncoders (tanh-approximate gelu) under the padding mask, and a tanh Dense on the first token's output.
/// The output is a dict: <c>pooled_output</c>, <c>sequence_output</c> (flattened in key order).
/// </summary>
public sealed class BertBackbone : KerasHubArchitecture
{
    /// <inheritdoc />
    public override string RegisteredName => "keras_hub>BertBackbone";

    /// <inheritdoc />
    public override ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var (vocabulary, layers, heads, hidden, intermediate, dropout, maxLength, segments) = BertBackboneSpec.Read(arguments);
        var graph = new HubGraph();
        var tokenIds = graph.Input("token_ids", "int32", [null]);
        var segmentIds = graph.Input("segment_ids", "int32", [null]);
        var paddingMask = graph.Input("padding_mask", "int32", [null]);
        graph.SortInputsByName();
        var tokens = graph.Call("token_embedding", "ReversibleEmbedding", HubLayers.TokenEmbedding(vocabulary, hidden), tokenIds);
        var positions = graph.Call("position_embedding", "keras_hub>PositionEmbedding", HubLayers.PositionEmbedding(maxLength), tokens);
        var segmentVectors = graph.Call("segment_embedding", "Embedding", new JsonObject { ["input_dim"] = segments, ["output_dim"] = hidden }, segmentIds);
        var x = graph.Call("embeddings_add", "Add", [], tokens, positions, segmentVectors);
        x = graph.Call("embeddings_layer_norm", "LayerNormalization", HubLayers.LayerNorm(1e-12), x);
        x = graph.Call("embeddings_dropout", "Dropout", HubLayers.Dropout(dropout), x);
        for (int i = 0; i < layers; i++)
            x = graph.CallWith($"transformer_layer_{i}", "keras_hub>TransformerEncoder", HubLayers.TransformerEncoder(intermediate, heads, dropout,
                "gelu_approximate", 1e-12, normalizeFirst: false), [x], new Dictionary<string, object?> { ["padding_mask"] = paddingMask });
        // x[:, cls_token_index, :] with cls_token_index 0: a GetItem op node.
        var all = new JsonObject { ["class_name"] = "__slice__", ["config"] = new JsonObject { ["start"] = null, ["stop"] = null, ["step"] = null } };
        var first = graph.CallWith("get_item", "ops.GetItem", [], [x, new object?[] { all, 0, all.DeepClone() }], new Dictionary<string, object?>());
        var pooled = graph.Call("pooled_dense", "Dense", new JsonObject { ["units"] = hidden, ["activation"] = "tanh" }, first);
        return graph.Build(arguments.Name, [pooled, x], ["pooled_output", "sequence_output"]);
    }
}
