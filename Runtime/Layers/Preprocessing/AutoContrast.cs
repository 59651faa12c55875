namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras 3 <c>AutoContrast</c>: stretches each image's channels to the full <c>value_range</c>, at inference too
/// (keras/src/layers/preprocessing/image_preprocessing/auto_contrast.py <c>transform_images</c>): in the (0, 255) scale,
/// <c>clip((x - min) * 255 / (max - min), 0, 255)</c> with min and max over the image's height and width (axes 1 and 2 of
/// a channels_last batch, whatever <c>data_format</c> says), back in <c>value_range</c>. A channel whose result is NaN
/// (a constant channel: 0/0) keeps its input.
/// </summary>
public sealed class AutoContrast : KerasLayer
{
    readonly double low;
    readonly double high;

    /// <summary>Builds the layer.</summary>
    public AutoContrast(LayerContext context, AutoContrastSpec spec) : base(context) => (low, high) = (spec.ValueRange.Low, spec.ValueRange.High);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var input = arguments.Input;
        bool single = input.dim() == 3;
        var images = ImageValueRange.Transform(single ? input.unsqueeze(0) : input, low, high, 0, 255).to_type(ScalarType.Float32);
        var min = images.amin([1, 2], keepdim: true);
        var max = images.amax([1, 2], keepdim: true);
        var scale = max.sub(min).reciprocal().mul(Of(255.0));
        var stretched = images.mul(scale).sub(min.mul(scale)).clamp(Of(0.0), Of(255.0));
        var result = ImageValueRange.Transform(stretched, 0, 255, low, high);
        if (single) result = result.squeeze(0);
        result = where(result.isnan(), input.to_type(ScalarType.Float32), result);
        return [result.MoveToOuterDisposeScope()];
    }
}
