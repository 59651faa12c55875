namespace KerasPort.Specs.Preprocessing;

/// <summary>Keras <c>Rescaling</c> (keras/src/layers/preprocessing/rescaling.py): <c>x * scale + offset</c>.</summary>
/// <param name="Scale">The multiplier, 1 by default.</param>
/// <param name="Offset">The addend, 0 by default.</param>
public sealed record RescalingSpec(ScalarOrList Scale, ScalarOrList Offset) : LayerSpec, ILayerSpec<RescalingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Rescaling"];

    /// <inheritdoc />
    public static RescalingSpec Read(LayerReader layer) => new(ScalarOrList.Read(layer, "scale", 1.0), ScalarOrList.Read(layer, "offset", 0.0));
}

/// <summary>
/// A config number that may also be a per-channel list: a scalar broadcasts over every axis, a list (even of one
/// number) over the last one, so the two are kept apart.
/// </summary>
/// <param name="Values">The number, or the list's numbers.</param>
/// <param name="IsList">Whether the config holds a list.</param>
public sealed record ScalarOrList(double[] Values, bool IsList)
{
    /// <summary>Reads <paramref name="key"/>; <paramref name="fallback"/> when absent.</summary>
    public static ScalarOrList Read(LayerReader layer, string key, double fallback) =>
        new(layer.Doubles(key) ?? [fallback], layer.Config[key] is JsonArray);

    /// <summary>The values as float32, the runtime's and the ONNX graph's type.</summary>
    public float[] Floats => [.. Values.Select(v => (float)v)];
}
