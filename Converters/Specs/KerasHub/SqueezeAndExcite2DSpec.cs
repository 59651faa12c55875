namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>SqueezeAndExcite2D</c>: <c>inputs * excite(conv_expand(squeeze(conv_reduce(mean over rows and
/// columns))))</c>, both convolutions 1x1 with biases.
/// </summary>
/// <param name="Filters">The input and output channels (<c>filters</c>).</param>
/// <param name="BottleneckFilters">The channels between the two convolutions (<c>bottleneck_filters</c>).</param>
/// <param name="SqueezeActivation">The activation after <c>conv_reduce</c> (relu).</param>
/// <param name="ExciteActivation">The gate's activation (sigmoid; the blocks use hard_sigmoid).</param>
public sealed record SqueezeAndExcite2DSpec(int Filters, int BottleneckFilters, string SqueezeActivation, string ExciteActivation)
    : LayerSpec, ILayerSpec<SqueezeAndExcite2DSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>SqueezeAndExcite2D"];

    /// <inheritdoc />
    public static SqueezeAndExcite2DSpec Read(LayerReader layer) => new(layer.IntAtLeast("filters", 0, 1),
        layer.IntAtLeast("bottleneck_filters", 0, 1), layer.ActivationName("squeeze_activation"), layer.ActivationName("excite_activation"));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        [new("conv_expand/kernel"), new("conv_expand/bias"), new("conv_reduce/kernel"), new("conv_reduce/bias")];
}
