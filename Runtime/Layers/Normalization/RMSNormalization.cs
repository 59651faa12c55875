namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>RMSNormalization</c>: <c>x * rsqrt(mean(x^2) + epsilon) * scale</c> over <c>axis</c>, what torch
/// <c>rms_norm</c> computes for keras/src/ops/nn.py <c>_rms_normalization</c>. One weight, <c>scale</c>,
/// shaped as the normalized axes; <c>epsilon</c> defaults to 1e-6.
/// </summary>
public sealed class RMSNormalization : KerasLayer
{
    readonly int[] axes;
    readonly double epsilon;
    readonly Tensor scale;

    /// <summary>Builds the layer.</summary>
    public RMSNormalization(LayerContext context, RMSNormalizationSpec spec) : base(context)
    {
        (axes, epsilon) = (spec.Axes, spec.Epsilon);
        context.ExpectWeightCount(1);
        scale = Own(context.Weight(0, "scale", context.InputDims(axes)));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var resolved = NormalizationMath.Resolve(axes, x.dim());
        var inverseRms = x.Squared().mean(resolved, keepdim: true).Plus(epsilon).rsqrt();
        return [x * inverseRms * scale.reshape(NormalizationMath.BroadcastShape(x, resolved))];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
