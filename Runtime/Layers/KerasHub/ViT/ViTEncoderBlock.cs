using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.ViT;

/// <summary>
/// keras_hub <c>ViTEncoderBlock</c> (keras_hub/src/models/vit/vit_layers.py): pre-LN self-attention and MLP, each a
/// residual. Sublayers (by the attribute their weights are saved under): <c>layer_norm_1</c>, <c>mha</c> (Keras
/// MultiHeadAttention), <c>layer_norm_2</c>, <c>mlp/dense_1</c>, <c>mlp/dense_2</c>.
/// </summary>
public sealed class ViTEncoderBlock : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer attentionNorm, attention, attentionDropout, mlpNorm, mlpIntermediate, mlpOutput, mlpDropout;

    /// <summary>Builds the block's sublayers, in the order its <c>build</c> creates them.</summary>
    public ViTEncoderBlock(LayerContext context, ViTEncoderBlockSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            var (attentionNormLayer, attentionLayer, mlpNormLayer, intermediateLayer, outputLayer) = ViTSublayers.Block(context, spec);
            attentionNorm = sublayers.Create(attentionNormLayer);
            attention = sublayers.Create(attentionLayer);
            attentionDropout = sublayers.Dropout("dropout", spec.DropoutRate);
            mlpNorm = sublayers.Create(mlpNormLayer);
            mlpIntermediate = sublayers.Create(intermediateLayer);
            mlpOutput = sublayers.Create(outputLayer);
            mlpDropout = sublayers.Create("mlp/dropout", "Dropout", new JsonObject { ["name"] = "dropout", ["rate"] = spec.DropoutRate });
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
        var inputs = arguments.Input;
        var normalized = HubSublayers.Apply(attentionNorm, arguments, inputs);
        var attended = attention.Call(arguments.ForInner([normalized, normalized], new Dictionary<string, object?>(), null))[0];
        var x = HubSublayers.Apply(attentionDropout, arguments, attended).Plus(inputs);
        var y = HubSublayers.Apply(mlpNorm, arguments, x);
        y = HubSublayers.Apply(mlpDropout, arguments, HubSublayers.Apply(mlpIntermediate, arguments, y));
        y = HubSublayers.Apply(mlpDropout, arguments, HubSublayers.Apply(mlpOutput, arguments, y));
        return [x.Plus(y).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
