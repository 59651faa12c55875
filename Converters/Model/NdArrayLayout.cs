namespace KerasPort.Converters.Model;

/// <summary>Axis rearrangements of <see cref="NdArray"/>s, for converting weights between Keras generations' layouts.</summary>
public static class NdArrayLayout
{
    /// <summary>numpy's <c>transpose(a, axes)</c>: output axis i is input axis <paramref name="axes"/>[i].</summary>
    public static NdArray Transpose(NdArray a, params int[] axes)
    {
        if (axes.Length != a.Shape.Length || axes.Order().Where((x, i) => x != i).Any())
            throw new ArgumentException($"axes ({string.Join(", ", axes)}) do not permute an array of rank {a.Shape.Length}");
        return Remap(a, axes.Select(i => a.Shape[i]).ToArray(), axes, flip: 0);
    }

    /// <summary>numpy's <c>a[::-1, ::-1, ...]</c> over the first <paramref name="count"/> axes (Keras's <c>convert_kernel</c> for Theano kernels).</summary>
    public static NdArray FlipLeading(NdArray a, int count)
    {
        return Remap(a, a.Shape, Enumerable.Range(0, a.Shape.Length).ToArray(), count);
    }

    /// <summary>Drops axis <paramref name="axis"/>, which must have size 1.</summary>
    public static NdArray Squeeze(NdArray a, int axis)
    {
        if (a.Shape[axis] != 1) throw new ArgumentException($"axis {axis} has size {a.Shape[axis]}, not 1");
        return new NdArray(a.DType, a.Shape.Where((_, i) => i != axis).ToArray(), a.Data);
    }

    /// <summary>
    /// Copies <paramref name="a"/> into a new array of <paramref name="shape"/> whose axis d walks source axis
    /// <paramref name="axes"/>[d], backwards for the first <paramref name="flip"/> axes: an odometer over the target
    /// with the source offset advanced by strides, no per-element allocation or boxing.
    /// </summary>
    static NdArray Remap(NdArray a, long[] shape, int[] axes, int flip)
    {
        int rank = shape.Length;
        var sourceStrides = new long[rank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            sourceStrides[d] = stride;
            stride *= a.Shape[d];
        }
        var step = new long[rank];
        long start = 0;
        for (int d = 0; d < rank; d++)
        {
            step[d] = sourceStrides[axes[d]];
            if (d < flip)
            {
                start += (shape[d] - 1) * step[d];
                step[d] = -step[d];
            }
        }
        Array data = a.Data switch
        {
            float[] f => Copy(f, shape, step, start),
            double[] v => Copy(v, shape, step, start),
            int[] i => Copy(i, shape, step, start),
            long[] l => Copy(l, shape, step, start),
            bool[] b => Copy(b, shape, step, start),
            sbyte[] s => Copy(s, shape, step, start),
            _ => throw new ArgumentException($"unsupported array type {a.Data.GetType().Name}"),
        };
        return new NdArray(a.DType, shape, data);
    }

    static T[] Copy<T>(T[] source, long[] shape, long[] step, long start)
    {
        var target = new T[source.LongLength];
        if (target.Length == 0) return target;
        int rank = shape.Length;
        if (rank == 0)
        {
            target[0] = source[0];
            return target;
        }
        var index = new long[rank];
        long offset = start, inner = shape[rank - 1], innerStep = step[rank - 1];
        for (long t = 0; t < target.LongLength; t += inner)
        {
            long o = offset;
            for (long i = 0; i < inner; i++, o += innerStep) target[t + i] = source[o];
            // Advance the odometer over the outer axes.
            for (int d = rank - 2; d >= 0; d--)
            {
                offset += step[d];
                if (++index[d] < shape[d]) break;
                offset -= step[d] * shape[d];
                index[d] = 0;
            }
        }
        return target;
    }
}
