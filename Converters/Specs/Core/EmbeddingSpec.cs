namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>Embedding</c> (keras/src/layers/core/embedding.py): rows of the <c>[input_dim, output_dim]</c> table, masked
/// where the id is 0 with <c>mask_zero</c>; quantized (int8, int4) as <see cref="Options"/> says.
/// </summary>
/// <param name="InputDim">The vocabulary size; -1 when the config omits it (the table's shape decides).</param>
/// <param name="OutputDim">The embedding size; -1 when the config omits it.</param>
/// <param name="MaskZero">Whether id 0 is masked.</param>
/// <param name="Options">Quantization and LoRA.</param>
public sealed record EmbeddingSpec(long InputDim, long OutputDim, bool MaskZero, KernelOptions Options) : LayerSpec, ILayerSpec<EmbeddingSpec>, IKernelSpec
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Embedding"];

    /// <inheritdoc />
    public static EmbeddingSpec Read(LayerReader layer) => new(DenseSpec.ReadSize(layer, "input_dim"), DenseSpec.ReadSize(layer, "output_dim"),
        layer.Bool("mask_zero", false), KernelOptions.Read(layer));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => Options.Roles("Embedding", hasBias: false, [new("embeddings", "W")]);
}
