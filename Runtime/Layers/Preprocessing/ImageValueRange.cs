namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>The value-range mapping of Keras's image preprocessing layers, which work in the (0, 255) scale.</summary>
internal static class ImageValueRange
{
    /// <summary>
    /// Keras's <c>_transform_value_range</c> (keras/src/layers/preprocessing/image_preprocessing/base_image_preprocessing_layer.py):
    /// maps <paramref name="images"/> from one range onto another; a no-op when the ranges are equal.
    /// </summary>
    public static Tensor Transform(Tensor images, double fromLow, double fromHigh, double toLow, double toHigh) =>
        fromLow == toLow && fromHigh == toHigh
            ? images
            : images.Minus(fromLow).div(Of(fromHigh - fromLow)).mul(Of(toHigh - toLow)).Plus(toLow);
}
