namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Adaptive average/max pooling as ONNX slices and reductions (reference semantics: Runtime/Layers/Pooling/AdaptivePooling.cs).</summary>
internal static class AdaptivePoolingLowering
{
    /// <summary>
    /// Adaptive average/max pooling to <c>output_size</c> with torch's bins (<c>floor(i * in / out)</c> to
    /// <c>ceil((i + 1) * in / out)</c>), one spatial axis at a time: a slice and a reduction per bin, concatenated.
    /// The input's spatial sizes must be fixed.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c, AdaptivePoolingSpec s)
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
