namespace KerasPort.Runtime.Layers.Merging;

/// <summary>
/// Keras's elementwise merge layers <c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>, <c>Maximum</c>
/// and <c>Minimum</c> (keras/src/layers/merging/base_merge.py and one file each): the inputs are folded left to
/// right with the pairwise operation (<c>Average</c> adds, then divides by the input count). Inputs of lower
/// rank first get size-1 axes inserted at axis 1 until all ranks agree, as <c>Merge.call</c> does; the rest
/// broadcasts. Masks follow the file's Keras: Keras 3 ORs the inputs' masks when every input has one, and
/// <c>Multiply</c>, <c>Maximum</c> and <c>Minimum</c> let masked steps drop out of the operation; Keras 1 and 2 AND
/// the masks they have and leave the values alone.
/// </summary>
public sealed class Merge : KerasLayer
{
    readonly MergeOperation operation;
    readonly Func<Tensor, Tensor, Tensor> combine;
    readonly bool keras3Masks;

    /// <summary>Builds the layer.</summary>
    public Merge(LayerContext context, MergeSpec spec) : base(context)
    {
        operation = spec.Operation;
        combine = operation switch
        {
            MergeOperation.Add or MergeOperation.Average => (a, b) => a.Plus(b),
            MergeOperation.Subtract => (a, b) => a - b,
            MergeOperation.Multiply => (a, b) => a * b,
            MergeOperation.Maximum => maximum,
            _ => minimum,
        };
        keras3Masks = context.Generation == KerasGeneration.Keras3;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var inputs = arguments.Inputs;
        if (inputs.Count == 0) throw new ArgumentException($"{ClassName} '{Name}' was called without inputs");
        if (operation == MergeOperation.Subtract && inputs.Count != 2) throw new ArgumentException($"Subtract '{Name}' takes exactly 2 inputs, got {inputs.Count}");
        long rank = inputs.Max(x => x.dim());
        if (keras3Masks && inputs.Any(x => arguments.MaskOf(x) is not null) && inputs.All(x => x.dim() == rank))
        {
            if (operation == MergeOperation.Multiply) return [MaskedMultiply(inputs, arguments)];
            if (operation is MergeOperation.Maximum or MergeOperation.Minimum) return [MaskedExtremum(inputs, arguments)];
        }
        var output = inputs.Select(x => ToRank(x, rank)).Aggregate(combine);
        return [operation == MergeOperation.Average ? output / Of(inputs.Count) : output];
    }

    /// <summary>
    /// keras/src/layers/merging/multiply.py <c>_merge_function</c>: a masked step counts as 1, and when every input
    /// has a mask, the steps no input keeps come out 0.
    /// </summary>
    static Tensor MaskedMultiply(IReadOnlyList<Tensor> inputs, CallArguments arguments)
    {
        var masks = inputs.Select(x => StepMask(x, arguments)).ToList();
        var output = inputs.Select((x, i) => masks[i] is { } m ? where(m, x, ones_like(x)) : x).Aggregate((a, b) => a * b);
        return masks.All(m => m is not null) ? where(masks.Aggregate((a, b) => a!.logical_or(b!))!, output, zeros_like(output)) : output;
    }

    /// <summary>
    /// base_merge.py <c>_apply_merge_op_and_or_mask</c>: a masked step of one side takes the other side's value,
    /// so the masked step does not take part in the maximum (minimum).
    /// </summary>
    Tensor MaskedExtremum(IReadOnlyList<Tensor> inputs, CallArguments arguments)
    {
        var output = inputs[0];
        var outputMask = StepMask(output, arguments);
        foreach (var x in inputs.Skip(1))
        {
            var mask = StepMask(x, arguments);
            var other = mask is null ? x : where(mask, x, output);
            if (outputMask is not null) output = where(outputMask, output, other);
            outputMask = mask is not null && outputMask is not null ? outputMask.logical_or(mask) : null;
            output = combine(output, other);
        }
        return output;
    }

    /// <summary>The input's mask as bool, broadcast over its last axis (null when it has none).</summary>
    static Tensor? StepMask(Tensor x, CallArguments arguments) =>
        arguments.MaskOf(x) is { } mask ? mask.to_type(ScalarType.Bool).unsqueeze(-1).expand_as(x) : null;

    /// <summary>
    /// Keras 3 (base_merge.py <c>compute_mask</c>): the OR of the inputs' masks, none when an input has none.
    /// Keras 1 and 2 (<c>_Merge.compute_mask</c>): the AND of the masks there are.
    /// </summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask)
    {
        var masks = arguments.InputMasks;
        if (keras3Masks)
            return masks.Any(m => m is null) ? null : masks.Select(m => m!.to_type(ScalarType.Bool)).Aggregate((a, b) => a.logical_or(b));
        var present = masks.Where(m => m is not null).Select(m => m!.to_type(ScalarType.Bool)).ToList();
        return present.Count == 0 ? null : present.Aggregate((a, b) => a.logical_and(b));
    }

    static Tensor ToRank(Tensor x, long rank)
    {
        while (x.dim() < rank) x = x.unsqueeze(1);
        return x;
    }
}
