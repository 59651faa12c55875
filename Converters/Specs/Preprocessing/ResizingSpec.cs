namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>Resizing</c> (keras/src/layers/preprocessing/image_preprocessing/resizing.py): images to <c>height</c> x
/// <c>width</c>, optionally cropped or padded to the target aspect ratio first.
/// </summary>
/// <param name="Size">The target size.</param>
/// <param name="Interpolation"><c>bilinear</c> (the default), <c>nearest</c> or <c>bicubic</c>, the methods the runtime has.</param>
/// <param name="ChannelsFirst">The config's <c>data_format</c> is channels_first.</param>
/// <param name="Antialias">The config's <c>antialias</c>.</param>
/// <param name="Aspect">Crop (<c>crop_to_aspect_ratio</c>), pad (<c>pad_to_aspect_ratio</c>) or stretch.</param>
/// <param name="FillValue">The padding value with <c>pad_to_aspect_ratio</c>, 0 by default.</param>
public sealed record ResizingSpec(ImageSize Size, string Interpolation, bool ChannelsFirst, bool Antialias, AspectRatio Aspect, double FillValue)
    : LayerSpec, ILayerSpec<ResizingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Resizing"];

    /// <summary>The interpolation methods of <c>keras.ops.image.resize</c> that KerasPort runs.</summary>
    public static readonly string[] Interpolations = ["nearest", "bilinear", "bicubic"];

    /// <inheritdoc />
    public static ResizingSpec Read(LayerReader layer)
    {
        var interpolation = layer.String("interpolation", "bilinear")!;
        if (!Interpolations.Contains(interpolation))
            throw new UnsupportedLayerException($"{layer.ClassName}(interpolation={interpolation})", layer.Name);
        var aspect = layer.Bool("crop_to_aspect_ratio", false) ? AspectRatio.Crop
            : layer.Bool("pad_to_aspect_ratio", false) ? AspectRatio.Pad
            : AspectRatio.Stretch;
        return new(ImageSize.Read(layer), interpolation, layer.ChannelsFirst, layer.Bool("antialias", false), aspect, layer.Double("fill_value", 0));
    }
}

/// <summary>How a resize meets a target of another aspect ratio.</summary>
public enum AspectRatio
{
    /// <summary>Scale each axis on its own.</summary>
    Stretch,

    /// <summary>First crop the centred window of the target's aspect ratio.</summary>
    Crop,

    /// <summary>First pad to the target's aspect ratio, centred, with the fill value.</summary>
    Pad,
}
