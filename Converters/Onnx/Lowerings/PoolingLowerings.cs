using KerasPort.Converters.Keras;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's pooling layers as ONNX nodes (reference semantics: Runtime/Layers/Pooling).</summary>
internal static class PoolingLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        foreach (var name in new[] { "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
                     "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D" })
            table[name] = Window;
        foreach (var name in new[] { "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D",
                     "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
                     "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D" })
            table[name] = Global;
        foreach (var name in new[] { "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
                     "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D" })
            table[name] = Adaptive;
    }

    /// <summary>
    /// Max/AveragePooling1D/2D/3D: ONNX MaxPool / AveragePool on channels-first data with TF 'same' as explicit pads.
    /// MaxPool never picks a pad cell; AveragePool's <c>count_include_pad=0</c> leaves pad cells out of each window's
    /// divisor, TF's 'same' average (keras/src/backend/torch/nn.py <c>average_pool</c>).
    /// </summary>
    static OnnxLowered Window(OnnxLayerCall c)
    {
        var g = c.Graph;
        int rank = SpatialConfig.Rank(c);
        bool max = c.ClassName.StartsWith("Max", StringComparison.Ordinal);
        bool channelsFirst = SpatialConfig.ChannelsFirst(c);
        var size = SpatialConfig.Required(c, "pool_size", rank);
        var strides = SpatialConfig.Tuple(c, "strides", rank, size)!;
        var padding = SpatialConfig.Padding(c);
        if (padding == PaddingMode.Causal) throw new FormatException($"layer '{c.Name}': pooling does not support padding='causal'");
        var x = ConvolutionLowerings.ToChannelsFirst(g, c.Input, channelsFirst);
        var spatial = x.Shape[2..];
        var pads = KerasPadding.Pads(padding, spatial, size, strides, SpatialConfig.Ones(rank));
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
    static OnnxLowered Global(OnnxLayerCall c)
    {
        var g = c.Graph;
        var x = c.Input;
        bool average = c.ClassName.Contains("Av", StringComparison.Ordinal);
        bool channelsFirst = c.String("data_format") == "channels_first";
        bool keepDims = c.Bool("keepdims", false);
        var spatial = Enumerable.Range(channelsFirst ? 2 : 1, x.Rank - 2).ToArray();
        if (!average) return OnnxLayerCall.Drop(g.Reduce("ReduceMax", x, spatial, keepDims));
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
    static OnnxLowered Adaptive(OnnxLayerCall c)
    {
        var g = c.Graph;
        bool max = c.ClassName.StartsWith("AdaptiveMax", StringComparison.Ordinal);
        int rank = SpatialConfig.Rank(c);
        var size = SpatialConfig.Required(c, "output_size", rank);
        int first = SpatialConfig.FirstSpatialAxis(c);
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
