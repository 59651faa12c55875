using System.Runtime.InteropServices;
using TorchSharp;

namespace KerasPort.Runtime;

/// <summary>Copies between <see cref="NdArray"/> and TorchSharp tensors.</summary>
public static class TensorConversions
{
    /// <summary>
    /// A new tensor holding <paramref name="array"/> on <paramref name="device"/>, in memory of its own (a string array
    /// becomes a <see cref="StringTensors"/> placeholder).
    /// </summary>
    /// <remarks>
    /// The tensor's memory comes from libtorch's allocator (64-byte aligned), so vectorized kernels (matmul, reductions)
    /// sum in the same order whatever .NET heap address the array had: the same weights loaded twice give bit-identical
    /// outputs. The values are copied straight into it, as bytes (TorchSharp's element accessor took 1 ms for a
    /// 224x224x3 image, the byte copy 0.02 ms). (TorchSharp's <c>tensor(float[], ...)</c> first copies the array
    /// into a new managed one, which for a 224x224x3 image was 588 KiB on the large-object heap per prediction: the
    /// garbage collector's committed memory then grew by hundreds of MiB over a ResNet50 soak.)
    /// </remarks>
    public static Tensor ToTensor(NdArray array, Device device)
    {
        if (array.Data is string[] texts) return StringTensors.Create(texts, array.Shape, device);
        var cpu = array.Data switch
        {
            float[] f => Filled(f, array.Shape, ScalarType.Float32),
            double[] d => Filled(d, array.Shape, ScalarType.Float64),
            int[] i => Filled(i, array.Shape, ScalarType.Int32),
            long[] l => Filled(l, array.Shape, ScalarType.Int64),
            bool[] b => Filled(b, array.Shape, ScalarType.Bool),
            sbyte[] s => Filled(s, array.Shape, ScalarType.Int8),
            _ => throw new ArgumentException($"unsupported array type {array.Data.GetType().Name}"),
        };
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    /// <summary>A new tensor of <paramref name="shape"/> with <paramref name="values"/> copied in as bytes, one memcpy.</summary>
    static Tensor Filled<T>(T[] values, long[] shape, ScalarType type) where T : unmanaged
    {
        var result = empty(shape, type);
        result.bytes = MemoryMarshal.AsBytes(values.AsSpan());
        return result;
    }

    /// <summary>
    /// A copy of <paramref name="value"/> as an <see cref="NdArray"/> (float16/bfloat16 widen to float32, int16 and uint8
    /// to int32; a <see cref="StringTensors"/> placeholder gives its strings).
    /// </summary>
    public static NdArray ToNdArray(Tensor value)
    {
        if (StringTensors.TryGet(value, out var texts)) return NdArray.Of(texts, value.Sizes());
        using var scope = NewDisposeScope();
        // A contiguous CPU tensor (a model output, usually) is read as it is: two handles fewer per output.
        var cpu = value.device_type == DeviceType.CPU && value.is_contiguous() ? value : value.cpu().contiguous();
        var shape = cpu.Sizes();
        return cpu.dtype switch
        {
            ScalarType.Float32 => new NdArray(DType.Float32, shape, Copied<float>(cpu)),
            ScalarType.Float64 => new NdArray(DType.Float64, shape, Copied<double>(cpu)),
            ScalarType.Int64 => new NdArray(DType.Int64, shape, Copied<long>(cpu)),
            ScalarType.Int32 => new NdArray(DType.Int32, shape, Copied<int>(cpu)),
            ScalarType.Bool => new NdArray(DType.Bool, shape, Copied<bool>(cpu)),
            ScalarType.Int8 => new NdArray(DType.Int8, shape, Copied<sbyte>(cpu)),
            ScalarType.Float16 or ScalarType.BFloat16 => new NdArray(DType.Float32, shape, Copied<float>(cpu.to_type(ScalarType.Float32))),
            _ => new NdArray(DType.Int32, shape, Copied<int>(cpu.to_type(ScalarType.Int32))),
        };
    }

    /// <summary>
    /// The values of contiguous CPU tensor <paramref name="values"/> in a new array: one copy from the tensor's memory.
    /// (TorchSharp's element accessor took 3.7 µs for 128 floats and 14 µs for 1,536, asking libtorch for the element
    /// count again and again; this copy 0.6 and 4 µs.)
    /// </summary>
    static T[] Copied<T>(Tensor values) where T : unmanaged
    {
        var source = MemoryMarshal.Cast<byte, T>(values.bytes);
        var result = GC.AllocateUninitializedArray<T>(source.Length);
        source.CopyTo(result);
        return result;
    }
}
