namespace KerasPort.Specs.Core;

/// <summary>
/// Keras 3 <c>ReversibleEmbedding</c> (keras/src/layers/core/reversible_embedding.py): an Embedding lookup, or with the
/// call argument <c>reverse=True</c> the logits <c>x @ embeddings^T</c> (tied) or <c>x @ reverse_embeddings</c>,
/// soft-capped as <c>tanh(logits / cap) * cap</c>.
/// </summary>
/// <param name="InputDim">The vocabulary size; -1 when the config omits it.</param>
/// <param name="OutputDim">The embedding size; -1 when the config omits it.</param>
/// <param name="TieWeights">Whether the reverse projection is the transposed table.</param>
/// <param name="ReverseDtype">The dtype of the reverse projection, or null (the layer's).</param>
/// <param name="LogitSoftCap">The cap of the logits, or null for none.</param>
/// <param name="MaskZero">Whether the lookup masks id 0.</param>
public sealed record ReversibleEmbeddingSpec(long InputDim, long OutputDim, bool TieWeights, string? ReverseDtype, double? LogitSoftCap, bool MaskZero)
    : LayerSpec, ILayerSpec<ReversibleEmbeddingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ReversibleEmbedding"];

    /// <inheritdoc />
    public static ReversibleEmbeddingSpec Read(LayerReader layer) => new(DenseSpec.ReadSize(layer, "input_dim"), DenseSpec.ReadSize(layer, "output_dim"),
        layer.Bool("tie_weights", true), layer.String("reverse_dtype"), layer.Has("logit_soft_cap") ? layer.Double("logit_soft_cap", 0) : null,
        layer.Bool("mask_zero", false));

    /// <summary>A reverse dtype other than float32, which KerasPort does not compute in; null when the reverse projection is float32.</summary>
    public string? UnsupportedReverseDtype => ReverseDtype is { } dtype && dtype != "float32" ? dtype : null;

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => TieWeights ? [new("embeddings")] : [new("embeddings"), new("reverse_embeddings")];
}
