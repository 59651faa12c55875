using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>Keras <c>Embedding</c>: looks up rows of <c>[input_dim, output_dim]</c>; with <c>mask_zero</c> the output is masked where the id is 0.</summary>
public sealed class Embedding : KerasLayer
{
    readonly Tensor embeddings;
    readonly long outputDim;
    readonly bool maskZero;

    /// <summary>Builds the layer.</summary>
    public Embedding(LayerContext context) : base(context)
    {
        context.ExpectWeightCount(1);
        embeddings = Own(context.Weight(0, "embeddings", context.Int("input_dim", -1), context.Int("output_dim", -1)));
        outputDim = embeddings.Sizes()[1];
        maskZero = context.Bool("mask_zero", false);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        // index_select takes int32 and int64 ids as they are; other dtypes (Keras accepts float ids) are converted.
        var input = arguments.Input;
        var ids = input.dtype is ScalarType.Int32 or ScalarType.Int64 ? input : input.to_type(ScalarType.Int64);
        return [embeddings.index_select(0, ids.flatten()).reshape([.. ids.Sizes(), outputDim])];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        maskZero ? arguments.Input.ne(Of(0)) : null;
}
