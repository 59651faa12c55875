namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// Keras <c>Dropout</c> and <c>SpatialDropout1D/2D/3D</c>: the identity at inference; in training, each element (or,
/// for the spatial ones, each whole channel of a sample) is zeroed with probability <c>rate</c> and the kept ones are
/// scaled by <c>1 / (1 - rate)</c> (keras/src/layers/regularization/dropout.py, keras/src/backend/torch/random.py).
/// </summary>
public sealed class Dropout : KerasLayer, IInferenceIdentity
{
    readonly DropoutSpec spec;

    /// <summary>Builds the layer.</summary>
    public Dropout(LayerContext context, DropoutSpec spec) : base(context) => this.spec = spec;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (!arguments.Training || spec.Rate == 0) return [x];
        double keep = 1.0 - spec.Rate;
        var shape = spec.Spatial ? RandomMasks.Spatial(x, spec.ChannelsFirst) : RandomMasks.Resolve(spec.NoiseShape, x) ?? x.Sizes();
        var mask = RandomMasks.Keep(shape, keep, x).to_type(ScalarType.Bool).expand(x.Sizes());
        return [where(mask, x / Of(keep), zeros_like(x))];
    }
}
