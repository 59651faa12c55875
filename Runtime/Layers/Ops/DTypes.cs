namespace KerasPort.Runtime.Layers.Ops;

/// <summary>Keras/TensorFlow dtype names as torch scalar types.</summary>
internal static class DTypes
{
    /// <summary>The torch type for <paramref name="name"/> (<c>float32</c>, <c>int64</c>, <c>bool</c>, ...).</summary>
    public static ScalarType Parse(string name, string layerName) => name switch
    {
        "float32" or "float" => ScalarType.Float32,
        "float64" or "double" => ScalarType.Float64,
        "float16" or "half" => ScalarType.Float16,
        "bfloat16" => ScalarType.BFloat16,
        "int32" => ScalarType.Int32,
        "int64" or "int" => ScalarType.Int64,
        "int16" => ScalarType.Int16,
        "int8" => ScalarType.Int8,
        "uint8" => ScalarType.Byte,
        "bool" => ScalarType.Bool,
        _ => throw new UnsupportedLayerException($"dtype:{name}", layerName, $"dtype '{name}' is not supported"),
    };
}
