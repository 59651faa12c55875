namespace KerasPort.Specs.AdvancedActivations;

/// <summary>Keras <c>PReLU</c> (keras/src/layers/activations/prelu.py): <c>relu(x) - alpha * relu(-x)</c> with a learned <c>alpha</c>.</summary>
/// <param name="SharedAxes">The (1-based, batch excluded) axes along which one alpha is shared.</param>
public sealed record PReLUSpec(int[] SharedAxes) : LayerSpec, ILayerSpec<PReLUSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["PReLU"];

    /// <inheritdoc />
    public static PReLUSpec Read(LayerReader layer) => new(layer.Ints("shared_axes") ?? []);

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles { get; } = [new("alpha")];

    /// <summary>The alpha's shape for an input of <paramref name="inputShape"/> (batch first): the input without its batch axis, 1 along the shared axes.</summary>
    public long[] AlphaShape(IReadOnlyList<long> inputShape) => inputShape.Skip(1).Select((d, i) => SharedAxes.Contains(i + 1) ? 1 : d).ToArray();
}
