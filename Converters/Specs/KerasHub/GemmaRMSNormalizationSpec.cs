namespace KerasPort.Specs.KerasHub;

/// <summary>
/// KerasHub's <c>RMSNormalization</c> (keras_hub/src/models/gemma/rms_normalization.py), registered as
/// <c>keras_hub&gt;RMSNormalization</c>: Gemma's norm <c>x / sqrt(mean(x^2) + epsilon) * (1 + scale)</c> over the last
/// axis, in float32. Not Keras's <c>RMSNormalization</c>, which multiplies by <c>scale</c>.
/// </summary>
/// <param name="Epsilon">Added to the mean square, 1e-6 by default.</param>
public sealed record GemmaRMSNormalizationSpec(double Epsilon) : LayerSpec, ILayerSpec<GemmaRMSNormalizationSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["keras_hub>RMSNormalization"];

    /// <inheritdoc />
    public static GemmaRMSNormalizationSpec Read(LayerReader layer) => new(layer.DoubleAtLeast("epsilon", 1e-6, 0));

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles { get; } = [new("scale")];
}
