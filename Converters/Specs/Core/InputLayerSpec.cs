namespace KerasPort.Specs.Core;

/// <summary>Keras <c>InputLayer</c> (keras/src/layers/core/input_layer.py): where the graph feeds a model input.</summary>
/// <param name="BatchShape">The declared shape, batch first (Keras 3's <c>batch_shape</c>, Keras 2's <c>batch_input_shape</c>); -1 marks an unknown size; null if not declared.</param>
/// <param name="DTypeName">The declared dtype, e.g. <c>float32</c>, <c>int32</c> or <c>string</c>.</param>
public sealed record InputLayerSpec(int[]? BatchShape, string DTypeName) : LayerSpec, ILayerSpec<InputLayerSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["InputLayer"];

    /// <inheritdoc />
    public static InputLayerSpec Read(LayerReader layer) => new(layer.Ints("batch_shape") ?? layer.Ints("batch_input_shape"), layer.DTypeName);
}
