namespace KerasPort.Specs.Preprocessing;

/// <summary>The target <c>height</c> and <c>width</c> of Keras's resizing and cropping layers, both required and positive.</summary>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public sealed record ImageSize(int Height, int Width)
{
    /// <summary>Reads <c>height</c> and <c>width</c>.</summary>
    public static ImageSize Read(LayerReader layer) => new(Positive(layer, "height"), Positive(layer, "width"));

    static int Positive(LayerReader layer, string key) =>
        layer.Int(key, -1) is > 0 and var value ? value : throw layer.ConfigError(key, "must be a positive number of pixels");
}
