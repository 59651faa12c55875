using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Merging;

/// <summary>
/// Keras's elementwise merge layers <c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>, <c>Maximum</c>
/// and <c>Minimum</c> (keras/src/layers/merging/base_merge.py and one file each): the inputs are folded left to
/// right with the pairwise operation (<c>Average</c> adds, then divides by the input count). Inputs of lower
/// rank first get size-1 axes inserted at axis 1 until all ranks agree, as <c>Merge.call</c> does; the rest
/// broadcasts.
/// </summary>
public sealed class Merge : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"];

    readonly Func<Tensor, Tensor, Tensor> combine;
    readonly bool average;

    /// <summary>Builds the layer.</summary>
    public Merge(LayerContext context) : base(context)
    {
        combine = context.ClassName switch
        {
            "Add" or "Average" => (a, b) => a.Plus(b),
            "Subtract" => (a, b) => a - b,
            "Multiply" => (a, b) => a * b,
            "Maximum" => maximum,
            "Minimum" => minimum,
            _ => throw new ArgumentException($"Merge does not implement '{context.ClassName}'", nameof(context)),
        };
        average = context.ClassName == "Average";
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var inputs = arguments.Inputs;
        if (inputs.Count == 0) throw new ArgumentException($"{ClassName} '{Name}' was called without inputs");
        if (ClassName == "Subtract" && inputs.Count != 2) throw new ArgumentException($"Subtract '{Name}' takes exactly 2 inputs, got {inputs.Count}");
        long rank = inputs.Max(x => x.dim());
        var output = inputs.Select(x => ToRank(x, rank)).Aggregate(combine);
        return [average ? output / Of(inputs.Count) : output];
    }

    static Tensor ToRank(Tensor x, long rank)
    {
        while (x.dim() < rank) x = x.unsqueeze(1);
        return x;
    }
}
