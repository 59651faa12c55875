using KerasPort.Converters.Model;
using static TorchSharp.torch;

namespace KerasPort.Runtime;

/// <summary>Copies between <see cref="NdArray"/> and TorchSharp tensors.</summary>
public static class TensorConversions
{
    /// <summary>A new tensor holding <paramref name="array"/> on <paramref name="device"/>, in memory of its own.</summary>
    /// <remarks>
    /// TorchSharp's <c>tensor(float[], ...)</c> on the CPU keeps the managed array as the tensor's storage, so its
    /// alignment is wherever the .NET heap put it, and vectorized kernels (matmul, reductions) then sum in a different
    /// order: the same weights loaded twice gave outputs differing in the last bit. Cloning into memory that libtorch
    /// allocates (64-byte aligned) makes outputs bit-reproducible across loads and file formats.
    /// </remarks>
    public static Tensor ToTensor(NdArray array, Device device)
    {
        using var wrapped = array.Data switch
        {
            float[] f => tensor(f, array.Shape, float32, device),
            double[] d => tensor(d, array.Shape, float64, device),
            int[] i => tensor(i, array.Shape, int32, device),
            long[] l => tensor(l, array.Shape, int64, device),
            bool[] b => tensor(b, array.Shape, @bool, device),
            _ => throw new ArgumentException($"unsupported array type {array.Data.GetType().Name}"),
        };
        return wrapped.clone();
    }

    /// <summary>A copy of <paramref name="value"/> as an <see cref="NdArray"/> (float16/bfloat16 widen to float32, small ints to int32).</summary>
    public static NdArray ToNdArray(Tensor value)
    {
        using var scope = NewDisposeScope();
        var cpu = value.cpu().contiguous();
        var shape = cpu.shape;
        return cpu.dtype switch
        {
            ScalarType.Float32 => new NdArray(DType.Float32, shape, cpu.data<float>().ToArray()),
            ScalarType.Float64 => new NdArray(DType.Float64, shape, cpu.data<double>().ToArray()),
            ScalarType.Int64 => new NdArray(DType.Int64, shape, cpu.data<long>().ToArray()),
            ScalarType.Int32 => new NdArray(DType.Int32, shape, cpu.data<int>().ToArray()),
            ScalarType.Bool => new NdArray(DType.Bool, shape, cpu.data<bool>().ToArray()),
            ScalarType.Float16 or ScalarType.BFloat16 => new NdArray(DType.Float32, shape, cpu.to_type(ScalarType.Float32).data<float>().ToArray()),
            _ => new NdArray(DType.Int32, shape, cpu.to_type(ScalarType.Int32).data<int>().ToArray()),
        };
    }
}
