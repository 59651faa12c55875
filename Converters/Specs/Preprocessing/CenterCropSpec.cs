namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>CenterCrop</c> (keras/src/layers/preprocessing/image_preprocessing/center_crop.py): the central
/// <c>height</c> x <c>width</c> window, or for a smaller image a crop to the target aspect ratio resized bilinearly.
/// </summary>
/// <param name="Size">The target size.</param>
/// <param name="ChannelsFirst">The config's <c>data_format</c> is channels_first.</param>
public sealed record CenterCropSpec(ImageSize Size, bool ChannelsFirst) : LayerSpec, ILayerSpec<CenterCropSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["CenterCrop"];

    /// <inheritdoc />
    public static CenterCropSpec Read(LayerReader layer) => new(ImageSize.Read(layer), layer.ChannelsFirst);
}
