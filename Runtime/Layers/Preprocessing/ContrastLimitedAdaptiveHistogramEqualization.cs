namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras 3 <c>ContrastLimitedAdaptiveHistogramEqualization</c> (CLAHE), step for step as
/// keras/src/layers/preprocessing/image_preprocessing/clahe.py <c>_clahe</c> computes it, at inference too: in the
/// (0, 255) scale, the image is padded (NumPy 'symmetric', at the bottom and right) to a <c>tile_grid_size</c> grid of
/// equal tiles; each tile's 256-bin histogram of the truncated pixel values is clipped at
/// <c>clip_limit × tile pixels / 256</c> (truncated to an integer) with the excess spread evenly, and its normalized CDF maps pixels; each pixel
/// interpolates bilinearly between the maps of the four nearest tile centres (edge tiles repeated).
/// </summary>
public sealed class ContrastLimitedAdaptiveHistogramEqualization : KerasLayer
{
    const int Bins = 256;

    readonly double low;
    readonly double high;
    readonly double clipLimit;
    readonly long gridHeight;
    readonly long gridWidth;
    readonly bool channelsFirst;

    /// <summary>Builds the layer.</summary>
    public ContrastLimitedAdaptiveHistogramEqualization(LayerContext context, ContrastLimitedAdaptiveHistogramEqualizationSpec spec) : base(context)
    {
        (low, high) = (spec.ValueRange.Low, spec.ValueRange.High);
        (gridHeight, gridWidth) = (spec.GridHeight, spec.GridWidth);
        clipLimit = spec.ClipLimit;
        channelsFirst = spec.ChannelsFirst;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var input = arguments.Input;
        bool single = input.dim() == 3;
        var images = single ? input.unsqueeze(0) : input;
        if (channelsFirst) images = images.permute(0, 2, 3, 1);
        images = ImageValueRange.Transform(images.to_type(ScalarType.Float32), low, high, 0, 255);
        var result = ImageValueRange.Transform(Equalize(images), 0, 255, low, high).to_type(input.dtype);
        if (channelsFirst) result = result.permute(0, 3, 1, 2);
        return [(single ? result.squeeze(0) : result).MoveToOuterDisposeScope()];
    }

    Tensor Equalize(Tensor images)
    {
        long batch = images.Sizes()[0], height = images.Sizes()[1], width = images.Sizes()[2], channels = images.Sizes()[3];
        long tileHeight = (height + gridHeight - 1) / gridHeight, tileWidth = (width + gridWidth - 1) / gridWidth;
        var padded = PadSymmetric(PadSymmetric(images, 1, tileHeight * gridHeight - height), 2, tileWidth * gridWidth - width);
        long tilePixels = tileHeight * tileWidth;

        var tiles = padded.reshape(batch, gridHeight, tileHeight, gridWidth, tileWidth, channels).permute(0, 1, 3, 5, 2, 4)
            .reshape(batch, gridHeight, gridWidth, channels, tilePixels);
        // Keras sums one-hot rows; counting with scatter_add gives the same counts without a 256-fold copy of the image.
        var values = tiles.to_type(ScalarType.Int32).clamp(Of(0), Of(255)).to_type(ScalarType.Int64);
        var histograms = zeros([batch, gridHeight, gridWidth, channels, Bins], ScalarType.Float32, images.device)
            .scatter_add_(-1, values, ones(values.Sizes(), ScalarType.Float32, images.device));
        if (clipLimit > 0)
        {
            // Keras's one-hot histograms are int64 (torch backend one_hot keeps the index dtype), so the limit is cast
            // to an integer: a limit under 1 clips every bin to 0 and spreads all pixels evenly.
            var clipped = histograms.clamp(Of(0.0), Of(Math.Truncate(clipLimit * tilePixels / 256.0)));
            histograms = clipped.Plus(histograms.sub(clipped).sum(-1, keepdim: true).div(Of(256.0)));
        }
        var cdf = histograms.cumsum(-1);
        var cdfMin = cdf.amin([-1], keepdim: true);
        var denominator = KeptScalars.Minus((double)tilePixels, cdfMin);
        denominator = where(denominator.eq(Of(0.0)), ones_like(denominator), denominator);
        var maps = cdf.sub(cdfMin).mul(Of(255.0)).div(denominator).clamp(Of(0.0), Of(255.0));
        // Repeat the edge tiles' maps around the grid: (batch, gridHeight + 2, gridWidth + 2, channels, bins).
        maps = cat([maps.narrow(1, 0, 1), maps, maps.narrow(1, gridHeight - 1, 1)], 1);
        maps = cat([maps.narrow(2, 0, 1), maps, maps.narrow(2, gridWidth - 1, 1)], 2);

        var (y0, y1, wy) = Neighbours(tileHeight * gridHeight, tileHeight, gridHeight, images.device);
        var (x0, x1, wx) = Neighbours(tileWidth * gridWidth, tileWidth, gridWidth, images.device);
        long strideX = Bins * channels, strideY = strideX * (gridWidth + 2), strideB = strideY * (gridHeight + 2);
        var pixels = padded.clamp(Of(0.0), Of(255.0)).to_type(ScalarType.Int32).to_type(ScalarType.Int64);
        var baseIndex = arange(Of(0L), Of(batch), Of(1L), dtype: ScalarType.Int64, device: images.device).mul(Of(strideB)).view(-1, 1, 1, 1)
            .Plus(arange(Of(0L), Of(channels), Of(1L), dtype: ScalarType.Int64, device: images.device).mul(Of((long)Bins)).view(1, 1, 1, -1)).Plus(pixels);
        var flat = maps.reshape(-1);
        Tensor At(Tensor y, Tensor x) =>
            flat.take(baseIndex.Plus(y.mul(Of(strideY)).view(1, -1, 1, 1)).Plus(x.mul(Of(strideX)).view(1, 1, -1, 1)));
        var wyE = wy.view(1, -1, 1, 1);
        var wxE = wx.view(1, 1, -1, 1);
        var top = At(y0, x0).mul(wxE.OneMinus()).Plus(At(y0, x1).mul(wxE));
        var bottom = At(y1, x0).mul(wxE.OneMinus()).Plus(At(y1, x1).mul(wxE));
        var result = top.mul(wyE.OneMinus()).Plus(bottom.mul(wyE));
        return result.narrow(1, 0, height).narrow(2, 0, width);
    }

    /// <summary>
    /// For each of <paramref name="size"/> padded rows (or columns): the two tile-map rows it interpolates between
    /// (in the edge-padded grid, clipped to it) and the weight of the second, from its offset to the tile centres.
    /// </summary>
    static (Tensor First, Tensor Second, Tensor Weight) Neighbours(long size, long tile, long grid, Device device)
    {
        var position = arange(Of(0L), Of(size), Of(1L), dtype: ScalarType.Float32, device: device).sub(Of(tile / 2.0)).div(Of((double)tile)).Plus(1.0);
        var first = position.floor();
        var weight = position.sub(first);
        var second = first.Plus(1.0);
        Tensor Index(Tensor t) => t.clamp(Of(0.0), Of((double)(grid + 1))).to_type(ScalarType.Int64);
        return (Index(first), Index(second), weight);
    }

    /// <summary>NumPy's 'symmetric' padding at the end of <paramref name="axis"/> (the edge value repeated first).</summary>
    Tensor PadSymmetric(Tensor x, int axis, long pad)
    {
        if (pad == 0) return x;
        if (pad > x.Sizes()[axis])
            throw new UnsupportedLayerException(ClassName, Name, "the image is smaller than its padding to the tile grid");
        return cat([x, x.flip(axis).narrow(axis, 0, pad)], axis);
    }
}
