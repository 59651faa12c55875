namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's pooling layers as ONNX nodes (reference semantics: Runtime/Layers/Pooling).</summary>
internal static class PoolingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<PoolingSpec>(table, Window);
        OnnxLowerings.Add<GlobalPoolingSpec>(table, Global);
        OnnxLowerings.Add<AdaptivePoolingSpec>(table, Adaptive);
    }

    /// <summary>
    /// Max/AveragePooling1D/2D/3D: ONNX MaxPool / AveragePool on channels-first data with TF 'same' as explicit pads.
    /// MaxPool never picks a pad cell; AveragePool's <c>count_include_pad=0</c> leaves pad cells out of each window's
    /// divisor, TF's 'same' average (keras/src/backend/torch/nn.py <c>average_pool</c>).
    /// </summary>
    static OnnxLowered Window(OnnxLayerCall c, PoolingSpec s)
    {
        var g = c.Graph;
        bool max = s.Max;
        var (channelsFirst, size, strides, padding) = (s.Window.ChannelsFirst, s.Window.Size, s.Window.Strides, s.Window.Padding);
        var x = ConvolutionLowerings.ToChannelsFirst(g, c.Input, channelsFirst);
        var spatial = x.Shape[2..];
        var pads = KerasPadding.Pads(padding, spatial, size, strides, s.Window.Dilation);
        var padAttribute = pads is null
            ? Attr.String("auto_pad", "SAME_UPPER")
            : Attr.Ints("pads", [.. pads.Select(p => p.Before), .. pads.Select(p => p.After)]);
        var outSpatial = spatial.Select((n, i) => n < 0 ? -1
            : pads is null ? (n + strides[i] - 1) / strides[i]
            : (n + pads[i].Before + pads[i].After - size[i]) / strides[i] + 1).ToArray();
        long[] shape = [x.Shape[0], x.Shape[1], .. outSpatial];
        var y = max
            ? g.Node("MaxPool", [x], x.Type, shape, Attr.Ints("kernel_shape", size), Attr.Ints("strides", strides), padAttribute)
            : g.Node("AveragePool", [x], x.Type, shape, Attr.Ints("kernel_shape", size), Attr.Ints("strides", strides), padAttribute, Attr.Int("count_include_pad", 0));
        return OnnxLayerCall.Drop(ConvolutionLowerings.FromChannelsFirst(g, y, channelsFirst));
    }

    /// <summary>
    /// Global average/max pooling over the spatial axes; a 1D average with a time-step mask leaves masked steps out of
    /// the mean (keras/src/layers/pooling/global_average_pooling1d.py).
    /// </summary>
    static OnnxLowered Global(OnnxLayerCall c, GlobalPoolingSpec s)
    {
        var g = c.Graph;
        var x = c.Input;
        var (channelsFirst, keepDims) = (s.ChannelsFirst, s.KeepDims);
        var spatial = s.SpatialAxes(x.Rank).Select(a => (int)a).ToArray();
        if (!s.Average) return OnnxLayerCall.Drop(g.Reduce("ReduceMax", x, spatial, keepDims));
        if (c.Mask is { } mask && x.Rank == 3)
        {
            var weights = g.Unsqueeze(g.Cast(mask, OnnxType.Float), channelsFirst ? 1 : 2);
            return OnnxLayerCall.Drop(g.Div(g.Reduce("ReduceSum", g.Mul(x, weights), spatial, keepDims), g.Reduce("ReduceSum", weights, spatial, keepDims)));
        }
        return OnnxLayerCall.Drop(g.Reduce("ReduceMean", x, spatial, keepDims));
    }

    /// <summary>
    /// Adaptive average/max pooling to <c>output_size</c> with torch's bins (<c>floor(i * in / out)</c> to
    /// <c>ceil((i + 1) * in / out)</c>), one spatial axis at a time: a slice and a reduction per bin, concatenated.
    /// The input's spatial sizes must be fixed.
    /// </summary>
    static OnnxLowered Adaptive(OnnxLayerCall c, AdaptivePoolingSpec s)
    {
        var g = c.Graph;
        var (max, rank, size, first) = (s.Max, s.Rank, s.OutputSize, s.FirstSpatialAxis);
        var x = c.Input;
        for (int i = 0; i < rank; i++)
        {
            int axis = first + i;
            long input = x.Dim(axis), output = size[i];
            if (input < 0) throw c.Unsupported("adaptive pooling needs fixed spatial sizes");
            var bins = new List<OnnxValue>();
            for (long o = 0; o < output; o++)
            {
                long start = o * input / output, end = ((o + 1) * input + output - 1) / output;
                bins.Add(g.Reduce(max ? "ReduceMax" : "ReduceMean", g.Slice(x, axis, start, end), [axis], keepDims: true));
            }
            x = g.Concat(bins, axis);
        }
        return OnnxLayerCall.Drop(x);
    }
}
