namespace KerasPort.Converters.Model;

/// <summary>Axis rearrangements of <see cref="NdArray"/>s, for converting weights between Keras generations' layouts.</summary>
public static class NdArrayLayout
{
    /// <summary>numpy's <c>transpose(a, axes)</c>: output axis i is input axis <paramref name="axes"/>[i].</summary>
    public static NdArray Transpose(NdArray a, params int[] axes)
    {
        if (axes.Length != a.Shape.Length || axes.Order().Where((x, i) => x != i).Any())
            throw new ArgumentException($"axes ({string.Join(", ", axes)}) do not permute an array of rank {a.Shape.Length}");
        var shape = axes.Select(i => a.Shape[i]).ToArray();
        return Remap(a, shape, target => Source(target, shape, axes, a.Shape, flip: null));
    }

    /// <summary>numpy's <c>a[::-1, ::-1, ...]</c> over the first <paramref name="count"/> axes (Keras's <c>convert_kernel</c> for Theano kernels).</summary>
    public static NdArray FlipLeading(NdArray a, int count)
    {
        var identity = Enumerable.Range(0, a.Shape.Length).ToArray();
        return Remap(a, a.Shape, target => Source(target, a.Shape, identity, a.Shape, flip: count));
    }

    /// <summary>Drops axis <paramref name="axis"/>, which must have size 1.</summary>
    public static NdArray Squeeze(NdArray a, int axis)
    {
        if (a.Shape[axis] != 1) throw new ArgumentException($"axis {axis} has size {a.Shape[axis]}, not 1");
        return new NdArray(a.DType, a.Shape.Where((_, i) => i != axis).ToArray(), a.Data);
    }

    static NdArray Remap(NdArray a, long[] shape, Func<long, long> sourceOf)
    {
        var data = Array.CreateInstance(a.Data.GetType().GetElementType()!, a.Data.LongLength);
        for (long i = 0; i < data.LongLength; i++) data.SetValue(a.Data.GetValue(sourceOf(i)), i);
        return new NdArray(a.DType, shape, data);
    }

    /// <summary>The source flat index of target flat index <paramref name="target"/>.</summary>
    static long Source(long target, long[] targetShape, int[] axes, long[] sourceShape, int? flip)
    {
        var sourceIndex = new long[sourceShape.Length];
        for (int d = targetShape.Length - 1; d >= 0; d--)
        {
            long coordinate = target % targetShape[d];
            target /= targetShape[d];
            sourceIndex[axes[d]] = flip is { } n && d < n ? targetShape[d] - 1 - coordinate : coordinate;
        }
        long flat = 0;
        for (int d = 0; d < sourceShape.Length; d++) flat = flat * sourceShape[d] + sourceIndex[d];
        return flat;
    }
}
