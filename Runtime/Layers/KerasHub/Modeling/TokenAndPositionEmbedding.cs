using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// keras_hub <c>TokenAndPositionEmbedding</c> (keras_hub/src/layers/modeling/token_and_position_embedding.py
/// <c>call</c>): <c>token_embedding(ids) + position_embedding(that, start_index)</c>, carrying the token embedding's mask.
/// </summary>
public sealed class TokenAndPositionEmbedding : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer tokenEmbedding;
    readonly PositionEmbedding positionEmbedding;

    /// <summary>Builds the layer and its two embeddings.</summary>
    public TokenAndPositionEmbedding(LayerContext context, TokenAndPositionEmbeddingSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        tokenEmbedding = sublayers.Create(HubSublayerDescriptions.Of(context, "token_embedding", "ReversibleEmbedding", new JsonObject
        {
            ["name"] = "token_embedding", ["input_dim"] = spec.VocabularySize, ["output_dim"] = spec.EmbeddingDim,
            ["tie_weights"] = spec.TieWeights, ["mask_zero"] = spec.MaskZero,
        }));
        positionEmbedding = (PositionEmbedding)sublayers.Create(HubSublayerDescriptions.Of(context, "position_embedding", "keras_hub>PositionEmbedding",
            new JsonObject { ["name"] = "position_embedding", ["sequence_length"] = spec.SequenceLength }));
    }

    /// <summary>The token embedding (its reverse call gives a task's logits).</summary>
    public KerasLayer TokenEmbedding => tokenEmbedding;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var tokens = HubSublayers.Apply(tokenEmbedding, arguments, arguments.Input);
        long start = HubSublayers.Index(arguments.Kwargs.GetValueOrDefault("start_index")) ?? 0;
        return [tokens.Plus(positionEmbedding.Positions(tokens, start))];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        tokenEmbedding.ComputeMask(arguments.ForInner([arguments.Input], new Dictionary<string, object?>(), null), null);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
