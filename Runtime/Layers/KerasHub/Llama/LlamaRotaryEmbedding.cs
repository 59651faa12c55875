using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Llama;

/// <summary>
/// KerasHub <c>LlamaRotaryEmbedding</c> (keras_hub/src/models/llama/llama_rotary_embedding.py): KerasHub's
/// <see cref="RotaryEmbedding"/> with Llama's inverse frequencies (<see cref="LlamaRotaryEmbeddingSpec"/>).
/// <c>LlamaAttention</c> applies it inside its call through <see cref="Apply"/>.
/// </summary>
public sealed class LlamaRotaryEmbedding : KerasLayer
{
    readonly LlamaRotaryEmbeddingSpec spec;

    /// <summary>Builds the layer.</summary>
    public LlamaRotaryEmbedding(LayerContext context, LlamaRotaryEmbeddingSpec spec) : base(context) => this.spec = spec;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [Apply(arguments.Input, spec, RotaryEmbedding.StartIndex(arguments), arguments.Kwargs.GetValueOrDefault("positions") as Tensor)];

    /// <summary><paramref name="inputs"/> rotated from position <paramref name="startIndex"/> (or at <paramref name="positions"/>).</summary>
    public static Tensor Apply(Tensor inputs, LlamaRotaryEmbeddingSpec spec, long startIndex = 0, Tensor? positions = null)
    {
        int featureAxis = spec.FeatureAxis < 0 ? spec.FeatureAxis + (int)inputs.dim() : spec.FeatureAxis;
        using var inverseFrequencies = InverseFrequencies(spec, inputs.size(featureAxis), inputs.device);
        return RotaryEmbedding.Rotate(inputs, inverseFrequencies, startIndex, positions, spec.SequenceAxis, spec.FeatureAxis);
    }

    /// <summary>
    /// llama_rotary_embedding.py <c>_get_inverse_freq</c> in float32: <c>1 / max_wavelength^(2i / d)</c>; with the
    /// Llama 3.1 factors, wavelengths above <c>L / low_freq_factor</c> get their frequency divided by the adjustment
    /// factor, and those between <c>L / high_freq_factor</c> and <c>L / low_freq_factor</c> a smooth blend.
    /// </summary>
    public static Tensor InverseFrequencies(LlamaRotaryEmbeddingSpec spec, long rotaryDim, Device device)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(Of(0L), Of(rotaryDim), Of(2L), dtype: ScalarType.Float32, device: device).div(Of((double)rotaryDim));
        var inverse = tensor((float)spec.MaxWavelength, ScalarType.Float32, device).pow(exponents).reciprocal();
        if (spec is { LowFreqFactor: { } low, HighFreqFactor: { } high, FrequencyAdjustmentFactor: { } adjustment, PretrainingSequenceLength: { } length })
        {
            var wavelength = inverse.reciprocal().mul(Of(2 * Math.PI));
            inverse = where(wavelength.gt(Of(length / low)), inverse.div(Of(adjustment)), inverse);
            var smooth = wavelength.reciprocal().mul(Of(length)).sub(Of(low)).div(Of(high - low));
            var smoothed = smooth.OneMinus().mul(inverse.div(Of(adjustment))).Plus(smooth.mul(inverse));
            var medium = wavelength.ge(Of(length / high)).logical_and(wavelength.le(Of(length / low)));
            inverse = where(medium, smoothed, inverse);
        }
        return inverse.MoveToOuterDisposeScope();
    }
}
