namespace KerasPort.Specs.Pooling;

/// <summary>
/// Keras <c>MaxPooling1D/2D/3D</c> and <c>AveragePooling1D/2D/3D</c> (keras/src/layers/pooling/base_pooling.py), with
/// 'valid' or TensorFlow 'same' padding; average pooling leaves padded cells out of each window's divisor.
/// </summary>
/// <param name="Window">Pool size, strides (the pool size by default), padding and data format.</param>
/// <param name="Max">Max pooling; average pooling otherwise.</param>
public sealed record PoolingSpec(ConvWindow Window, bool Max) : LayerSpec, ILayerSpec<PoolingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
    ];

    /// <inheritdoc />
    public static PoolingSpec Read(LayerReader layer) => new(ConvWindow.OfPooling(layer), layer.ClassName.StartsWith("Max", StringComparison.Ordinal));
}
