namespace KerasPort.Specs.KerasHub;

/// <summary>keras_hub <c>ConvBnActBlock</c>: 1x1 Conv2D without bias to <c>filter</c> channels, BatchNormalization, activation.</summary>
/// <param name="Filter">The output channels (<c>filter</c>).</param>
/// <param name="Activation">The activation.</param>
public sealed record ConvBnActBlockSpec(int Filter, string Activation) : LayerSpec, ILayerSpec<ConvBnActBlockSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>ConvBnActBlock"];

    /// <inheritdoc />
    public static ConvBnActBlockSpec Read(LayerReader layer) => new(layer.IntAtLeast("filter", 0, 1), layer.ActivationName());
}
