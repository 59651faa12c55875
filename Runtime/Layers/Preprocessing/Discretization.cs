namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>Discretization</c> with <c>bin_boundaries</c> (keras/src/layers/preprocessing/discretization.py): the bin
/// index of each value as NumPy's <c>digitize</c> gives it (<c>boundaries[i-1] &lt;= x &lt; boundaries[i]</c>, so a value
/// on a boundary goes to the upper bin), as int32 for <c>output_mode='int'</c>, else encoded like
/// <see cref="CategoryEncoding"/> over <c>len(bin_boundaries) + 1</c> bins.
/// </summary>
public sealed class Discretization : KerasLayer
{
    readonly Tensor boundaries;
    readonly string outputMode;

    /// <summary>Builds the layer.</summary>
    public Discretization(LayerContext context, DiscretizationSpec spec) : base(context)
    {
        outputMode = spec.OutputMode;
        boundaries = Own(tensor(spec.BinBoundaries, device: context.Device));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        // torch's right=True is digitize's right=False: boundaries[i-1] <= x < boundaries[i].
        var indices = bucketize(arguments.Input.to_type(ScalarType.Float64), boundaries, outInt32: true, right: true);
        return [outputMode == "int" ? indices : CategoryEncoding.Encode(indices, outputMode, boundaries.Sizes()[0] + 1)];
    }
}
