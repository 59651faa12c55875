using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.Gemma;

/// <summary>
/// KerasHub's <c>RMSNormalization</c> (keras_hub/src/models/gemma/rms_normalization.py): in float32,
/// <c>x * reciprocal(sqrt(mean(x^2, -1) + epsilon)) * (1 + scale)</c>. One weight, <c>scale</c>, over the last axis.
/// </summary>
public sealed class GemmaRMSNormalization : KerasLayer
{
    readonly double epsilon;
    readonly Tensor onePlusScale;

    /// <summary>Builds the layer.</summary>
    public GemmaRMSNormalization(LayerContext context, GemmaRMSNormalizationSpec spec) : base(context)
    {
        epsilon = spec.Epsilon;
        context.ExpectWeightCount(1);
        using var scale = context.Weight(0, "scale", context.InputDim(-1));
        onePlusScale = Own(scale.Plus(1));
    }

    /// <summary>The norm at attribute <paramref name="attribute"/> of a Gemma block, as keras-hub builds it with <paramref name="epsilon"/>.</summary>
    internal static GemmaRMSNormalization Sublayer(HubSublayers sublayers, string attribute, double epsilon) =>
        sublayers.Own(new GemmaRMSNormalization(
            sublayers.HubContext(attribute, "RMSNormalization", new JsonObject { ["epsilon"] = epsilon }),
            new GemmaRMSNormalizationSpec(epsilon)));

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [Normalize(arguments.Input)];

    /// <summary>The normalized <paramref name="x"/> (float32).</summary>
    public Tensor Normalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to_type(ScalarType.Float32);
        var inverseRms = x32.Squared().mean([-1], keepdim: true).Plus(epsilon).sqrt().reciprocal();
        return (x32 * inverseRms * onePlusScale).MoveToOuterDisposeScope();
    }

    /// <summary>A KerasHub norm does not propagate a Keras mask (it does not declare <c>supports_masking</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
