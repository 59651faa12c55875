namespace KerasPort.KerasHub.Architectures;

/// <summary>
/// The functional graph of KerasHub's decoder-only causal LM tasks (gemma_causal_lm.py, llama_causal_lm.py, ...:
/// <c>hidden = backbone(backbone.input)</c>, <c>logits = backbone.token_embedding(hidden, reverse=True)</c>): the
/// backbone as a nested model on the backbone's own inputs, and the logits call of its <c>token_embedding</c>, a layer
/// of the backbone reached again, which Keras saves only inside the backbone: the outer layer shares its weights
/// (<see cref="LayerDescription.SharesWeightsOf"/>). The task's <c>preprocessor</c> is not part of the graph.
/// </summary>
public static class CausalLMGraph
{
    /// <summary>The name of the backbone layer the logits come from, as every KerasHub backbone names it.</summary>
    public const string TokenEmbedding = "token_embedding";

    /// <summary>The task model described by <paramref name="arguments"/> (its <c>backbone</c> argument is built through <paramref name="context"/>).</summary>
    public static ModelDescription Build(LayerReader arguments, KerasHubContext context)
    {
        var backbone = context.BuildNested(arguments.Config["backbone"], "backbone");
        var embedding = backbone.Layer(TokenEmbedding);
        if (embedding.ClassName != "ReversibleEmbedding")
            throw new ModelFileException(context.Source, "backbone", $"'{backbone.Name}' has no ReversibleEmbedding '{TokenEmbedding}' for the logits (it has a {embedding.ClassName})");
        var graph = new HubGraph();
        var inputs = backbone.Inputs.Select(input => backbone.Layer(input.Layer)).Select(layer => graph.Input(layer.Name, DType(layer),
            [.. ((JsonArray)layer.Config["batch_shape"]!).Skip(1).Select(d => d is JsonValue size ? (int?)size.GetValue<int>() : null)])).ToList();
        var hidden = graph.CallWith(backbone.Name, "Functional", [], [.. inputs.Cast<object?>()], new Dictionary<string, object?>(), backbone);
        var logits = graph.CallWith(TokenEmbedding, "ReversibleEmbedding", (JsonObject)embedding.Config.DeepClone(), [hidden],
            new Dictionary<string, object?> { ["reverse"] = true });
        var model = graph.Build(arguments.Name, [logits]);
        return model with
        {
            Layers = [.. model.Layers.Select(layer => layer.Name == TokenEmbedding ? layer with { SharesWeightsOf = $"{backbone.Name}/{TokenEmbedding}" } : layer)],
        };
    }

    static string DType(LayerDescription input) => (string?)input.Config["dtype"] ?? "float32";
}
