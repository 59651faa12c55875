namespace KerasPort.Runtime.Layers.Merging;

/// <summary>
/// Keras <c>Dot</c>: the batchwise dot product of two inputs over <c>axes</c> (one integer for both inputs, or
/// one per input), optionally of L2-normalized inputs (cosine proximity). The output holds the first input's
/// remaining axes, then the second's, and is at least <c>(batch, 1)</c>, as keras/src/layers/merging/dot.py
/// <c>batch_dot</c> computes it: contracted axis moved last in the first input and to axis 1 in the second,
/// then a batched matmul.
/// </summary>
public sealed class Dot : KerasLayer
{
    readonly int[] axes;
    readonly bool normalize;

    /// <summary>Builds the layer.</summary>
    public Dot(LayerContext context, DotSpec spec) : base(context) => (axes, normalize) = (spec.Axes, spec.Normalize);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        if (arguments.Inputs is not [var x, var y])
            throw new ArgumentException($"Dot '{Name}' takes exactly 2 inputs, got {arguments.Inputs.Count}");
        long xAxis = (axes[0] % x.dim() + x.dim()) % x.dim();
        long yAxis = (axes[1] % y.dim() + y.dim()) % y.dim();
        if (normalize)
        {
            x = L2Normalize(x, xAxis);
            y = L2Normalize(y, yAxis);
        }
        var left = x.movedim([xAxis], [-1]);
        var right = y.movedim([yAxis], [1]);
        long batch = x.Sizes()[0], depth = left.Sizes()[^1];
        var product = left.reshape(batch, -1, depth).bmm(right.reshape(batch, depth, -1));
        long[] shape = [batch, .. left.Sizes()[1..^1], .. right.Sizes()[2..]];
        return [product.reshape(shape.Length == 1 ? [batch, 1] : shape)];
    }

    /// <summary>keras/src/ops/nn.py <c>normalize</c> for order 2: <c>x * min(rsqrt(sum(x^2)), 1 / epsilon)</c>.</summary>
    static Tensor L2Normalize(Tensor x, long axis) =>
        x * x.Squared().sum(axis, keepdim: true).rsqrt().clamp_max(Of(1 / DotSpec.Epsilon));

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
