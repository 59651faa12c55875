namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>PositionEmbedding</c> (keras_hub/src/layers/modeling/position_embedding.py): a learned
/// <c>[sequence_length, features]</c> table whose rows <c>start_index .. start_index + T</c> are broadcast to the
/// input's shape (the input gives only the shape).
/// </summary>
/// <param name="SequenceLength">The table's rows: the longest sequence the layer accepts.</param>
public sealed record PositionEmbeddingSpec(int SequenceLength) : LayerSpec, ILayerSpec<PositionEmbeddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>PositionEmbedding"];

    /// <inheritdoc />
    public static PositionEmbeddingSpec Read(LayerReader layer) => layer.Has("sequence_length")
        ? new(layer.IntAtLeast("sequence_length", 0, 1))
        : throw layer.ConfigError("sequence_length", "missing (the layer's table length)");

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => [new("embeddings")];
}
