namespace KerasPort.Specs.Preprocessing;

/// <summary>The <c>value_range</c> of Keras's image preprocessing layers, (0, 255) by default.</summary>
/// <param name="Low">The lower end.</param>
/// <param name="High">The upper end.</param>
public sealed record ValueRange(double Low, double High)
{
    /// <summary>Reads <c>value_range</c>, which must hold two numbers.</summary>
    public static ValueRange Read(LayerReader layer) => (layer.Doubles("value_range") ?? [0, 255]) is [var low, var high]
        ? new(low, high)
        : throw new UnsupportedLayerException(layer.ClassName, layer.Name, "value_range must hold two numbers");
}
