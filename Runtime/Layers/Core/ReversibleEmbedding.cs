namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras 3 <c>ReversibleEmbedding</c> (keras/src/layers/core/reversible_embedding.py): an Embedding lookup, or with the
/// call argument <c>reverse=True</c> the logits <c>x @ embeddings^T</c> (<c>tie_weights</c>) or
/// <c>x @ reverse_embeddings</c> (<c>[output_dim, input_dim]</c>, untied), soft-capped as
/// <c>tanh(logits / cap) * cap</c> when <c>logit_soft_cap</c> is set. With <c>mask_zero</c> the lookup's output is
/// masked where the id is 0; the logits carry no mask.
/// </summary>
public sealed class ReversibleEmbedding : KerasLayer
{
    readonly Tensor embeddings;
    readonly Tensor reverseKernel;
    readonly double? softCap;
    readonly bool maskZero;

    /// <summary>Builds the layer.</summary>
    public ReversibleEmbedding(LayerContext context, ReversibleEmbeddingSpec spec) : base(context)
    {
        var (inputDim, outputDim) = (spec.InputDim, spec.OutputDim);
        context.ExpectWeightCount(spec.WeightRoles.Count);
        if (spec.UnsupportedReverseDtype is { } reverseDtype)
            throw new UnsupportedLayerException(context.ClassName, context.Name, $"reverse_dtype '{reverseDtype}' is not supported");
        embeddings = Own(context.Weight(0, "embeddings", inputDim, outputDim));
        reverseKernel = spec.TieWeights ? Own(embeddings.t()) : Own(context.Weight(1, "reverse_embeddings", outputDim, inputDim));
        softCap = spec.LogitSoftCap;
        maskZero = spec.MaskZero;
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var input = arguments.Input;
        if (!IsReverse(arguments))
        {
            var ids = input.dtype is ScalarType.Int32 or ScalarType.Int64 ? input : input.to_type(ScalarType.Int64);
            return [embeddings.index_select(0, ids.flatten()).reshape([.. ids.Sizes(), embeddings.Sizes()[1]])];
        }
        var logits = input.MatmulChecked(reverseKernel);
        return [softCap is { } cap ? logits.div(Of(cap)).tanh().mul(Of(cap)) : logits];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) =>
        maskZero && !IsReverse(arguments) ? arguments.Input.ne(Of(0)) : null;

    static bool IsReverse(CallArguments arguments) =>
        arguments.Kwargs.TryGetValue("reverse", out var value) && value is JsonValue flag && flag.TryGetValue<bool>(out var reverse) && reverse;
}
