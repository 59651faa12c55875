namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Normalization</c>: <c>(x - mean) / max(sqrt(variance), epsilon)</c>, or the inverse with
/// <c>invert</c>. Mean and variance come from adapted weights (<c>mean</c>, <c>variance</c>, <c>count</c>) or
/// from the config; they are broadcast over the non-kept axes as in keras/src/layers/preprocessing/normalization.py.
/// </summary>
public sealed class Normalization : KerasLayer
{
    /// <summary>Keras's <c>backend.epsilon()</c> default.</summary>
    const float Epsilon = 1e-7f;

    readonly NormalizationSpec spec;
    readonly bool adapted;
    readonly Tensor mean;
    readonly Tensor variance;

    /// <summary>Builds the layer.</summary>
    public Normalization(LayerContext context, NormalizationSpec spec) : base(context)
    {
        this.spec = spec;
        adapted = context.Weights.Count > 0 || spec.Mean is null;
        if (adapted)
        {
            context.ExpectWeightCount(3);
            var shape = AdaptedShape(context);
            mean = Own(context.Weight(0, "mean", shape));
            variance = Own(context.Weight(1, "variance", shape));
            context.Weight(2, "count").Dispose();
        }
        else
        {
            mean = Own(tensor(spec.Mean!.Data, spec.Mean.Shape, float32, context.Device));
            variance = Own(tensor(spec.Variance!.Data, spec.Variance.Shape, float32, context.Device));
        }
    }

    /// <summary>Adapted statistics have one entry per position of the kept axes (sorted), from the file or the input shape.</summary>
    long[] AdaptedShape(LayerContext context)
    {
        if (context.Weights.Count > 0) return context.Weights[0].Value.Shape;
        int rank = context.InputShapes?[0].Length ?? 0;
        return spec.Axes.Select(a => a < 0 ? a + rank : a).Order().Select(a => context.InputDim(a)).ToArray();
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => false;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input.to_type(ScalarType.Float32);
        int rank = (int)x.dim();
        var keep = spec.Axes.Select(a => a < 0 ? a + rank : a).Order().ToArray();
        var m = Broadcastable(mean, keep, x);
        var v = Broadcastable(variance, keep, x);
        var scale = v.sqrt().clamp_min(Of(Epsilon));
        return [spec.Invert ? m.Plus(x * scale) : (x - m) / scale];
    }

    /// <summary>Aligns a mean/variance tensor's axes, right to left, with the kept input axes.</summary>
    static Tensor Broadcastable(Tensor value, int[] keep, Tensor x)
    {
        if (value.dim() == 0) return value;
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        for (int i = 1; i <= value.dim(); i++) shape[keep[^i]] = value.Sizes()[^i];
        return value.reshape(shape);
    }
}
