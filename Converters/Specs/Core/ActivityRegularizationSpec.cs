namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>ActivityRegularization</c> (keras/src/layers/regularization/activity_regularization.py): the identity,
/// with an <c>L1L2</c> activity regularizer that adds its penalty to the training loss.
/// </summary>
/// <param name="L1">The L1 factor, 0 when absent.</param>
/// <param name="L2">The L2 factor, 0 when absent.</param>
public sealed record ActivityRegularizationSpec(double L1, double L2) : LayerSpec, ILayerSpec<ActivityRegularizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["ActivityRegularization"];

    /// <inheritdoc />
    public static ActivityRegularizationSpec Read(LayerReader layer) => new(layer.Double("l1", 0), layer.Double("l2", 0));
}
