namespace KerasPort.Converters.CSharp;

/// <summary>Keras weight layouts to torch's (the one place these axis orders live for the C# emitter).</summary>
internal static class TorchLayout
{
    /// <summary>A Dense or recurrent kernel <c>(in, out)</c> as torch's <c>(out, in)</c>.</summary>
    public static NdArray Transpose2D(NdArray kernel) => NdArrayLayout.Transpose(kernel, 1, 0);

    /// <summary>A convolution kernel <c>(k..., in / groups, out)</c> as torch's <c>(out, in / groups, k...)</c>.</summary>
    public static NdArray ConvKernel(NdArray kernel)
    {
        int rank = kernel.Shape.Length - 2;
        return NdArrayLayout.Transpose(kernel, [rank + 1, rank, .. Enumerable.Range(0, rank)]);
    }

    /// <summary>
    /// A depthwise kernel <c>(k..., channels, multiplier)</c> as a grouped convolution's <c>(channels * multiplier, 1, k...)</c>:
    /// output channel <c>c * multiplier + m</c> filters input channel c, as Keras orders a depthwise layer's outputs.
    /// </summary>
    public static NdArray DepthwiseKernel(NdArray kernel)
    {
        int rank = kernel.Shape.Length - 2;
        var moved = NdArrayLayout.Transpose(kernel, [rank, rank + 1, .. Enumerable.Range(0, rank)]);
        return new NdArray(moved.DType, [kernel.Shape[rank] * kernel.Shape[rank + 1], 1, .. kernel.Shape[..rank]], moved.Data);
    }

    /// <summary>
    /// <paramref name="a"/> with its last axis, <paramref name="gates"/> blocks of equal size, rearranged so that block i
    /// is source block <paramref name="order"/>[i] (Keras GRU z,r,h → torch r,z,n is order 1, 0, 2).
    /// </summary>
    public static NdArray Gates(NdArray a, int gates, int[] order)
    {
        if (order.Select((o, i) => o == i).All(same => same)) return a;
        var source = a.ToFloats();
        long last = a.Shape[^1], block = last / gates, rows = source.LongLength / last;
        var target = new float[source.LongLength];
        for (long r = 0; r < rows; r++)
            for (int g = 0; g < gates; g++)
                Array.Copy(source, r * last + order[g] * block, target, r * last + g * block, block);
        return NdArray.Of(target, a.Shape);
    }

    /// <summary>Row <paramref name="index"/> of a 2D array (a GRU's input or recurrent bias).</summary>
    public static NdArray Row(NdArray a, int index)
    {
        var source = a.ToFloats();
        long width = a.Shape[1];
        var row = new float[width];
        Array.Copy(source, index * width, row, 0, width);
        return NdArray.Of(row, width);
    }
}
