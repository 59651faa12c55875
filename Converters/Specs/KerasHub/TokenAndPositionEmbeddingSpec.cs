namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>TokenAndPositionEmbedding</c> (keras_hub/src/layers/modeling/token_and_position_embedding.py): a
/// ReversibleEmbedding of the token ids (<c>token_embedding</c>) plus a PositionEmbedding (<c>position_embedding</c>)
/// of the result; the token embedding's mask (<c>mask_zero</c>) is the output's.
/// </summary>
/// <param name="VocabularySize">Token ids the table holds.</param>
/// <param name="SequenceLength">Positions the position table holds.</param>
/// <param name="EmbeddingDim">Size of each embedding.</param>
/// <param name="TieWeights">Whether the token embedding's reverse projection is its transposed table.</param>
/// <param name="MaskZero">Whether token id 0 is masked.</param>
public sealed record TokenAndPositionEmbeddingSpec(int VocabularySize, int SequenceLength, int EmbeddingDim, bool TieWeights, bool MaskZero)
    : LayerSpec, ILayerSpec<TokenAndPositionEmbeddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>TokenAndPositionEmbedding"];

    /// <inheritdoc />
    public static TokenAndPositionEmbeddingSpec Read(LayerReader layer) => new(layer.IntAtLeast("vocabulary_size", 0, 1),
        layer.IntAtLeast("sequence_length", 0, 1), layer.IntAtLeast("embedding_dim", 0, 1), layer.Bool("tie_weights", true), layer.Bool("mask_zero", false));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => TieWeights
        ? [new("token_embedding/embeddings"), new("position_embedding/embeddings")]
        : [new("token_embedding/embeddings"), new("token_embedding/reverse_embeddings"), new("position_embedding/embeddings")];
}
