namespace KerasPort.Runtime.Layers.KerasHub.Modeling;

/// <summary>
/// keras_hub <c>PositionEmbedding</c> (keras_hub/src/layers/modeling/position_embedding.py <c>call</c>): rows
/// <c>start_index .. start_index + T</c> of the learned table, broadcast to the input's shape <c>(..., T, features)</c>.
/// The call's <c>start_index</c> (default 0) is where a cached generation step's positions begin.
/// </summary>
public sealed class PositionEmbedding : KerasLayer
{
    readonly Tensor table;
    readonly int sequenceLength;

    /// <summary>Builds the layer.</summary>
    public PositionEmbedding(LayerContext context, PositionEmbeddingSpec spec) : base(context)
    {
        context.ExpectWeightCount(1);
        sequenceLength = spec.SequenceLength;
        table = Own(context.Weight(0, "embeddings", spec.SequenceLength, context.InputDim(-1)));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) =>
        [Positions(arguments.Input, HubSublayers.Index(arguments.Kwargs.GetValueOrDefault("start_index")) ?? 0)];

    /// <summary>The position embeddings for <paramref name="inputs"/> <c>(..., T, features)</c> starting at position <paramref name="startIndex"/>.</summary>
    public Tensor Positions(Tensor inputs, long startIndex)
    {
        var shape = inputs.Sizes();
        long length = shape[^2];
        if (startIndex < 0 || startIndex + length > sequenceLength)
            throw new ModelInputException($"layer '{Name}' (PositionEmbedding) holds {sequenceLength} positions; positions {startIndex}..{startIndex + length - 1} were asked for");
        return table.narrow(0, startIndex, length).expand(shape);
    }
}
