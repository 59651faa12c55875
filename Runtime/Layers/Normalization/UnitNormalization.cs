namespace KerasPort.Runtime.Layers.Normalization;

/// <summary>
/// Keras <c>UnitNormalization</c>: <c>x * rsqrt(max(sum(x^2), 1e-12))</c> over one or more axes
/// (keras/src/layers/normalization/unit_normalization.py).
/// </summary>
public sealed class UnitNormalization : KerasLayer
{
    readonly int[] axes;

    /// <summary>Builds the layer.</summary>
    public UnitNormalization(LayerContext context, UnitNormalizationSpec spec) : base(context) => axes = spec.Axes;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        var squareSum = x.Squared().sum(NormalizationMath.Resolve(axes, x.dim()), keepdim: true);
        return [x * squareSum.clamp_min(Of(UnitNormalizationSpec.MinSquaredNorm)).rsqrt()];
    }
}
