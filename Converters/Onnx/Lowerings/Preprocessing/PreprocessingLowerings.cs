namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's preprocessing layers as ONNX nodes (reference semantics: Runtime/Layers/Preprocessing). One-line lowerings
/// stand here; the others have a file each, named after the layer.
/// </summary>
internal static class PreprocessingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<RescalingSpec>(table, RescalingLowering.Lower);
        OnnxLowerings.Add<NormalizationSpec>(table, NormalizationLowering.Lower);
        OnnxLowerings.Add<CategoryEncodingSpec>(table, CategoryEncodingLowering.Lower);
        OnnxLowerings.Add<ResizingSpec>(table, (c, s) =>
            c.Pass(ImageResize.Resize(c, c.Input, s.Size.Height, s.Size.Width, s.Interpolation, s.ChannelsFirst, s.Antialias, s.Aspect, s.FillValue)));
        OnnxLowerings.Add<CenterCropSpec>(table, CenterCropLowering.Lower);
        OnnxLowerings.Add<ImageAugmentationSpec>(table, (c, _) => c.Pass(c.Input));
    }
}
