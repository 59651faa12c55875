namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Weight rearrangements done once while exporting (kernel layouts, gate orders), on row-major float arrays.</summary>
internal static class HostArrays
{
    /// <summary>Transposes row-major <paramref name="data"/> of <paramref name="shape"/> by <paramref name="perm"/> (output axis i is input axis perm[i]).</summary>
    public static (float[] Data, long[] Shape) Permute(float[] data, long[] shape, params int[] perm)
    {
        int rank = shape.Length;
        var outShape = perm.Select(p => shape[p]).ToArray();
        var inStrides = Strides(shape);
        var result = new float[data.Length];
        var index = new long[rank];
        for (long o = 0; o < result.LongLength; o++)
        {
            long source = 0;
            for (int i = 0; i < rank; i++) source += index[i] * inStrides[perm[i]];
            result[o] = data[source];
            for (int i = rank - 1; i >= 0; i--)
            {
                if (++index[i] < outShape[i]) break;
                index[i] = 0;
            }
        }
        return (result, outShape);
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    /// <summary>
    /// Reorders the gate blocks along the last axis of a <c>(..., G * units)</c> array: output block i is input block
    /// <paramref name="order"/>[i].
    /// </summary>
    public static float[] ReorderGates(float[] data, long units, params int[] order)
    {
        long row = units * order.Length;
        var result = new float[data.Length];
        for (long start = 0; start < data.LongLength; start += row)
            for (int i = 0; i < order.Length; i++)
                Array.Copy(data, start + order[i] * units, result, start + i * units, units);
        return result;
    }

    /// <summary>The <c>(rows, cols)</c> matrix transposed.</summary>
    public static float[] Transpose2D(float[] data, long rows, long cols) => Permute(data, [rows, cols], 1, 0).Data;
}
