using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.ViT;

/// <summary>
/// keras_hub <c>ViTPatchingAndEmbedding</c> (keras_hub/src/models/vit/vit_layers.py <c>call</c>): the patch Conv2D's
/// output <c>(batch, rows, columns, hidden)</c> flattened to <c>(batch, patches, hidden)</c>, the class token tiled
/// over the batch and put first, plus the position embedding of positions <c>0 .. num_positions - 1</c>.
/// </summary>
public sealed class ViTPatchingAndEmbedding : KerasLayer
{
    readonly ViTPatchingAndEmbeddingSpec spec;
    readonly HubSublayers sublayers;
    readonly KerasLayer patchEmbedding, positionEmbedding;
    readonly Tensor? classToken;

    /// <summary>Builds the layer: its own <c>class_token</c> (<c>vars/0</c>) and the Conv2D and Embedding sublayers.</summary>
    public ViTPatchingAndEmbedding(LayerContext context, ViTPatchingAndEmbeddingSpec spec) : base(context)
    {
        this.spec = spec;
        sublayers = new HubSublayers(context);
        try
        {
            if (spec.UseClassToken)
            {
                int index = ViTSublayers.OwnWeight(context);
                if (index < 0) throw new WeightMismatchException(Name, "vars/0", "ViTPatchingAndEmbedding needs its class_token (vars/0)");
                classToken = Own(context.Weight(index, "class_token", 1, 1, spec.HiddenDim));
            }
            patchEmbedding = sublayers.Create(ViTSublayers.PatchEmbedding(context, spec));
            positionEmbedding = sublayers.Create(ViTSublayers.PositionEmbedding(context, spec));
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var patches = HubSublayers.Apply(patchEmbedding, arguments, arguments.Input);
        if (spec.ChannelsFirst) patches = patches.permute(0, 2, 3, 1);
        long batch = patches.shape[0];
        patches = patches.reshape(batch, -1, patches.shape[^1]);
        using var positionIds = arange(Of(0L), Of((long)spec.NumPositions), Of(1L), dtype: int64, device: patches.device).unsqueeze(0);
        var positions = HubSublayers.Apply(positionEmbedding, arguments, positionIds);
        if (classToken is not null) patches = cat([classToken.expand(batch, 1, spec.HiddenDim), patches], 1);
        return [patches.Plus(positions).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
