using KerasPort.Converters;
using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Regularization;

/// <summary>
/// Keras <c>Dropout</c> and <c>SpatialDropout1D/2D/3D</c>: the identity at inference; in training, each element (or,
/// for the spatial ones, each whole channel of a sample) is zeroed with probability <c>rate</c> and the kept ones are
/// scaled by <c>1 / (1 - rate)</c> (keras/src/layers/regularization/dropout.py, keras/src/backend/torch/random.py).
/// </summary>
public sealed class Dropout : KerasLayer, IInferenceIdentity
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"];

    readonly double rate;
    readonly int[]? noiseShape;
    readonly bool spatial;
    readonly bool channelsFirst;

    /// <summary>Builds the layer.</summary>
    public Dropout(LayerContext context) : base(context)
    {
        rate = context.Double("rate", context.Double("p", 0));
        if (rate is < 0 or >= 1) throw new UnsupportedLayerException(ClassName, Name, $"rate must be in [0, 1), got {rate}");
        noiseShape = context.Ints("noise_shape");
        spatial = ClassName.StartsWith("SpatialDropout", StringComparison.Ordinal);
        channelsFirst = context.String("data_format") == "channels_first";
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (!arguments.Training || rate == 0) return [x];
        double keep = 1.0 - rate;
        var shape = spatial ? RandomMasks.Spatial(x, channelsFirst) : RandomMasks.Resolve(noiseShape, x) ?? x.Sizes();
        var mask = RandomMasks.Keep(shape, keep, x).to_type(ScalarType.Bool).expand(x.Sizes());
        return [where(mask, x / Of(keep), zeros_like(x))];
    }
}
