using KerasPort.Runtime.Quantization;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras <c>Embedding</c>: looks up rows of <c>[input_dim, output_dim]</c>; with <c>mask_zero</c> the output is masked
/// where the id is 0. A quantized table (int8, int4) is dequantized once: Keras's lookup then de-scaling is elementwise,
/// so looking up dequantized rows gives the same numbers.
/// </summary>
public sealed class Embedding : KerasLayer
{
    readonly Tensor embeddings;
    readonly long outputDim;
    readonly bool maskZero;
    readonly bool quantized;

    /// <summary>Builds the layer.</summary>
    public Embedding(LayerContext context, EmbeddingSpec spec) : base(context)
    {
        long inputDim = spec.InputDim;
        outputDim = spec.OutputDim;
        maskZero = spec.MaskZero;
        var quantization = spec.Options.Quantization;
        quantized = quantization is not null;
        if (quantization is null)
        {
            context.ExpectWeightCount(1);
            embeddings = Own(context.Weight(0, "embeddings", inputDim, outputDim));
        }
        else embeddings = Own(Dequantized(context, quantization, spec.WeightNames, inputDim, outputDim));
        outputDim = embeddings.Sizes()[1];
    }

    /// <summary>
    /// The float table Keras's <c>_int8_call</c> and <c>_int4_call</c> look rows up in (keras/src/layers/core/embedding.py):
    /// int8 and per-channel int4 divide each row by its token's scale; grouped int4 takes (q − zero) × scale per
    /// group of g_idx columns.
    /// </summary>
    static Tensor Dequantized(LayerContext context, KerasQuantization quantization, IReadOnlyList<string> variables, long inputDim, long outputDim)
    {
        using var scope = NewDisposeScope();
        var roles = WeightRoles.Of(context, variables);
        Tensor Weight(string role, params long[] shape) => context.Weight(roles[role], role, shape);
        if (quantization.IsInt8)
            return Weight("embeddings", inputDim, outputDim).div(Weight("embeddings_scale", inputDim).unsqueeze(-1)).MoveToOuterDisposeScope();
        var unpacked = Int4Weights.Unpack(Weight("embeddings", inputDim, (outputDim + 1) / 2), outputDim);
        if (!quantization.IsGroupedInt4)
            return unpacked.div(Weight("embeddings_scale", inputDim).unsqueeze(-1)).MoveToOuterDisposeScope();
        long groups = (outputDim + quantization.BlockSize - 1) / quantization.BlockSize;
        return Int4Weights.DequantizeGrouped(unpacked, Weight("embeddings_scale", inputDim, groups), Weight("embeddings_zero", inputDim, groups),
            Weight("g_idx", outputDim), groupAxis: 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && !quantized;

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
