namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub's Whisper <c>Padder</c> (keras_hub/src/models/whisper/whisper_backbone.py): one zero step on each side of
/// axis 1, <c>ops.pad(x, [[0, 0], [1, 1], [0, 0]])</c>, before the encoder's strided convolution. No arguments.
/// </summary>
public sealed record PadderSpec : LayerSpec, ILayerSpec<PadderSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>Padder"];

    /// <inheritdoc />
    public static PadderSpec Read(LayerReader layer) => new();
}
