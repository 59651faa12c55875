namespace KerasPort.Specs.Core;

/// <summary>
/// Keras layers whose computation is another framework's code, which their config does not describe as layers:
/// <c>TFSMLayer</c>, <c>JaxLayer</c>, <c>FlaxLayer</c> and <c>TorchModuleWrapper</c>. Nothing of their config is read
/// (KerasPort never runs bytecode or unpickles); they are refused unless the user registers a C# replacement.
/// </summary>
public sealed record ForeignCodeSpec : LayerSpec, ILayerSpec<ForeignCodeSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"];

    /// <inheritdoc />
    public static ForeignCodeSpec Read(LayerReader layer) => new();
}
