namespace KerasPort.Specs.Core;

/// <summary>
/// Layers whose output is their input: Keras's <c>Identity</c> and <c>MaxNumBoundingBoxes</c> (which pads bounding
/// boxes and returns images unchanged: keras/src/layers/preprocessing/image_preprocessing/max_num_bounding_box.py).
/// </summary>
public sealed record IdentitySpec : LayerSpec, ILayerSpec<IdentitySpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Identity", "MaxNumBoundingBoxes"];

    /// <inheritdoc />
    public static IdentitySpec Read(LayerReader layer) => new();
}
