namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras <c>CategoryEncoding</c>: integer ids to <c>one_hot</c>, <c>multi_hot</c> or <c>count</c> vectors of
/// length <c>num_tokens</c> (keras/src/layers/preprocessing/category_encoding.py). A trailing axis of size 1 is
/// squeezed before one-hot encoding; multi_hot and count reduce over the last input axis.
/// </summary>
public sealed class CategoryEncoding(LayerContext context, CategoryEncodingSpec spec) : KerasLayer(context)
{
    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [Encode(arguments.Input, spec.OutputMode, spec.NumTokens)];

    /// <summary>
    /// Keras's <c>encode_categorical_inputs</c> (keras/src/utils/numerical_utils.py) for <paramref name="outputMode"/>
    /// <c>one_hot</c>, <c>multi_hot</c> or <c>count</c>: float32 vectors of length <paramref name="depth"/>.
    /// </summary>
    internal static Tensor Encode(Tensor input, string outputMode, long depth)
    {
        var ids = input.to_type(ScalarType.Int64);
        if (outputMode == "one_hot")
        {
            if (ids.dim() > 1 && ids.Sizes()[^1] == 1) ids = ids.squeeze(-1);
            return nn.functional.one_hot(ids, depth).to_type(ScalarType.Float32);
        }
        var oneHot = nn.functional.one_hot(ids.dim() == 1 ? ids.unsqueeze(0) : ids, depth).to_type(ScalarType.Float32);
        var reduced = outputMode == "count" ? oneHot.sum(-2) : oneHot.amax(-2);
        return ids.dim() == 1 ? reduced.squeeze(0) : reduced;
    }
}
