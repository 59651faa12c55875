namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>HashedCrossing</c> (keras/src/layers/preprocessing/hashed_crossing.py): crosses two or more features into
/// <c>num_bins</c> bins as <c>tf.sparse.cross_hashed</c> does.
/// </summary>
/// <param name="NumBins">The bins, positive.</param>
/// <param name="OutputMode"><c>int</c> (the default) or <c>one_hot</c>.</param>
public sealed record HashedCrossingSpec(int NumBins, string OutputMode) : LayerSpec, ILayerSpec<HashedCrossingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["HashedCrossing"];

    /// <inheritdoc />
    public static HashedCrossingSpec Read(LayerReader layer) =>
        new(HashingSpec.CheckedNumBins(layer), layer.OneOf("output_mode", "int", "int", "one_hot"));
}
