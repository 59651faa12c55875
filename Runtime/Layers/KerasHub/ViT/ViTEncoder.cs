using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.ViT;

/// <summary>
/// keras_hub <c>ViTEncoder</c> (keras_hub/src/models/vit/vit_layers.py): dropout, the <see cref="ViTEncoderBlock"/>s in
/// order, then LayerNormalization. The blocks' weights are saved under <c>encoder_layers/vi_t_encoder_block</c>,
/// <c>encoder_layers/vi_t_encoder_block_1</c>, ... (a list's elements are keyed by snake-cased class).
/// </summary>
public sealed class ViTEncoder : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer dropout, norm;
    readonly IReadOnlyList<KerasLayer> blocks;

    /// <summary>Builds the blocks and the final norm.</summary>
    public ViTEncoder(LayerContext context, ViTEncoderSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            var (blockLayers, normLayer) = ViTSublayers.Encoder(context, spec);
            blocks = [.. blockLayers.Select(sublayers.Create)];
            dropout = sublayers.Dropout("dropout", spec.Block.DropoutRate);
            norm = sublayers.Create(normLayer);
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
        var x = HubSublayers.Apply(dropout, arguments, arguments.Input);
        foreach (var block in blocks) x = HubSublayers.Apply(block, arguments, x);
        return [HubSublayers.Apply(norm, arguments, x).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
