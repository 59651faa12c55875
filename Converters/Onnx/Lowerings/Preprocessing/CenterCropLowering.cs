namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>CenterCrop as ONNX Slice or Resize (reference semantics: Runtime/Layers/Preprocessing/CenterCrop.cs).</summary>
internal static class CenterCropLowering
{
    /// <summary>CenterCrop: the central window, or (for a smaller image) a crop to the target aspect ratio resized bilinearly.</summary>
    public static OnnxLowered Lower(OnnxLayerCall c, CenterCropSpec s)
    {
        long height = s.Size.Height, width = s.Size.Width;
        bool channelsFirst = s.ChannelsFirst;
        var x = c.Input;
        int row = channelsFirst ? 2 : 1;
        if (x.Dim(row) < 0 || x.Dim(row + 1) < 0) throw c.Unsupported("center cropping needs fixed image sizes");
        long rowsLeft = x.Dim(row) - height, columnsLeft = x.Dim(row + 1) - width;
        if (rowsLeft < 0 || columnsLeft < 0) return c.Pass(ImageResize.Resize(c, x, height, width, "bilinear", channelsFirst, false, AspectRatio.Crop));
        var g = c.Graph;
        return c.Pass(g.Slice(g.Slice(x, row, rowsLeft / 2, rowsLeft / 2 + height), row + 1, columnsLeft / 2, columnsLeft / 2 + width));
    }
}
