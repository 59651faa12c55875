namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>Discretization</c> (keras/src/layers/preprocessing/discretization.py) with <c>bin_boundaries</c>: each
/// value's bin index, as int32 for <c>output_mode='int'</c>, else encoded over <c>len(bin_boundaries) + 1</c> bins.
/// </summary>
/// <param name="BinBoundaries">The sorted bin boundaries.</param>
/// <param name="OutputMode"><c>int</c> (the default), <c>one_hot</c>, <c>multi_hot</c> or <c>count</c>.</param>
public sealed record DiscretizationSpec(double[] BinBoundaries, string OutputMode) : LayerSpec, ILayerSpec<DiscretizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Discretization"];

    /// <inheritdoc />
    public static DiscretizationSpec Read(LayerReader layer) => new(
        layer.Doubles("bin_boundaries") ?? throw new UnsupportedLayerException(layer.ClassName, layer.Name,
            "only bin_boundaries are supported (an adapted num_bins layer keeps its boundaries outside the config)"),
        layer.OneOf("output_mode", "int", "int", "one_hot", "multi_hot", "count"));
}
