namespace KerasPort.Specs.KerasHub;

/// <summary>
/// keras_hub <c>ViTEncoder</c> (keras_hub/src/models/vit/vit_layers.py): dropout, <c>num_layers</c>
/// <c>ViTEncoderBlock</c>s (saved under <c>encoder_layers/</c>) and a final LayerNormalization (<c>layer_norm</c>).
/// </summary>
/// <param name="NumLayers">The number of blocks.</param>
/// <param name="Block">Every block's arguments (the encoder passes its own on).</param>
public sealed record ViTEncoderSpec(int NumLayers, ViTEncoderBlockSpec Block) : LayerSpec, ILayerSpec<ViTEncoderSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>ViTEncoder"];

    /// <inheritdoc />
    public static ViTEncoderSpec Read(LayerReader layer) => new(layer.IntAtLeast("num_layers", 0, 0), ViTEncoderBlockSpec.Read(layer));
}
