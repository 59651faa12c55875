namespace KerasPort.Runtime.Layers.Merging;

/// <summary>Keras <c>Concatenate</c>: joins its inputs along the spec's axis.</summary>
public sealed class Concatenate : KerasLayer
{
    readonly int axis;
    readonly bool anyStep;

    /// <summary>Builds the layer.</summary>
    public Concatenate(LayerContext context, ConcatenateSpec spec) : base(context)
    {
        axis = spec.Axis;
        anyStep = context.Generation == KerasGeneration.Keras3;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [cat(arguments.Inputs.ToList(), axis)];

    /// <summary>
    /// keras/src/layers/merging/concatenate.py <c>compute_mask</c>: each input's mask broadcast to the input's shape
    /// (all true for an unmasked input), concatenated along the axis, then reduced over the last axis: with
    /// <c>any</c> in Keras 3, <c>all</c> in Keras 2 (tf.keras <c>K.all</c>). None when no input has a mask.
    /// </summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask)
    {
        var inputs = arguments.Inputs;
        if (inputs.All(x => arguments.MaskOf(x) is null)) return null;
        var full = inputs.Select(x => arguments.MaskOf(x) is { } m
            ? (m.dim() < x.dim() ? m.unsqueeze(-1) : m).to_type(ScalarType.Bool).expand_as(x)
            : ones_like(x, dtype: ScalarType.Bool)).ToList();
        var joined = cat(full, axis);
        return anyStep ? joined.any(-1) : joined.all(-1);
    }
}
