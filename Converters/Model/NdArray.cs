namespace KerasPort;

/// <summary>Element types that KerasPort stores in weights, inputs and outputs.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float.</summary>
    Float32,
    /// <summary>64-bit IEEE float.</summary>
    Float64,
    /// <summary>32-bit signed integer.</summary>
    Int32,
    /// <summary>64-bit signed integer.</summary>
    Int64,
    /// <summary>Boolean, one byte per element.</summary>
    Bool,
    /// <summary>8-bit signed integer: Keras 3's int8 (and packed int4) quantized kernels, kept as Keras wrote them.</summary>
    Int8,
    /// <summary>Text, one .NET string per element (TensorFlow's <c>tf.string</c>; UTF-8 in files).</summary>
    String,
}

/// <summary>
/// An immutable-by-convention dense n-dimensional array in row-major (C) order: the neutral currency between
/// file readers, the runtime and .npy/.npz files. <see cref="Data"/> is a <c>float[]</c>, <c>double[]</c>,
/// <c>int[]</c>, <c>long[]</c>, <c>bool[]</c>, <c>sbyte[]</c> or <c>string[]</c> matching <see cref="DType"/>.
/// </summary>
public sealed class NdArray
{
    /// <summary>Creates an array, checking that the data type and element count agree with the shape.</summary>
    public NdArray(DType dtype, long[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Any(d => d < 0)) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]");
        if (ElementTypeOf(dtype) != data.GetType().GetElementType())
            throw new ArgumentException($"{dtype} array cannot hold {data.GetType().Name}");
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.LongLength)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {count} elements, data has {data.LongLength}");
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public long[] Shape { get; }

    /// <summary>Elements in row-major order.</summary>
    public Array Data { get; }

    /// <summary>Number of elements.</summary>
    public long Length => Data.LongLength;

    /// <summary>Shape as Keras prints it, e.g. <c>(3, 4)</c>.</summary>
    public string ShapeText => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");

    /// <summary>A float32 array.</summary>
    public static NdArray Of(float[] data, params long[] shape) => new(DType.Float32, shape, data);

    /// <summary>A float64 array.</summary>
    public static NdArray Of(double[] data, params long[] shape) => new(DType.Float64, shape, data);

    /// <summary>An int32 array.</summary>
    public static NdArray Of(int[] data, params long[] shape) => new(DType.Int32, shape, data);

    /// <summary>An int64 array.</summary>
    public static NdArray Of(long[] data, params long[] shape) => new(DType.Int64, shape, data);

    /// <summary>A bool array.</summary>
    public static NdArray Of(bool[] data, params long[] shape) => new(DType.Bool, shape, data);

    /// <summary>An int8 array.</summary>
    public static NdArray Of(sbyte[] data, params long[] shape) => new(DType.Int8, shape, data);
    /// <summary>A string array (the input of Keras's text and lookup layers); null elements are not allowed.</summary>
    public static NdArray Of(string[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Array.IndexOf(data, null) is var at and >= 0) throw new ArgumentException($"string element {at} is null", nameof(data));
        return new(DType.String, shape, data);
    }

    /// <summary>CLR element type used for <paramref name="dtype"/>.</summary>
    public static Type ElementTypeOf(DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Bool => typeof(bool),
        DType.Int8 => typeof(sbyte),
        DType.String => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>Elements converted to double, for comparisons and reports.</summary>
    /// <exception cref="InvalidOperationException">The array holds strings.</exception>
    public double[] ToDoubles() => Data switch
    {
        float[] f => Array.ConvertAll(f, v => (double)v),
        double[] d => (double[])d.Clone(),
        int[] i => Array.ConvertAll(i, v => (double)v),
        long[] l => Array.ConvertAll(l, v => (double)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1.0 : 0.0),
        sbyte[] s => Array.ConvertAll(s, v => (double)v),
        string[] => throw new InvalidOperationException($"a string array {ShapeText} has no numeric values"),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Elements converted to float32 (a copy unless already float32).</summary>
    public float[] ToFloats() => Data as float[] ?? Array.ConvertAll(ToDoubles(), v => (float)v);
}
