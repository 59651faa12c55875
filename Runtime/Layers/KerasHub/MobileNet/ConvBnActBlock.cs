using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>ConvBnActBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py): 1x1 Conv2D, BatchNormalization, activation.</summary>
public sealed class ConvBnActBlock : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer[] chain;

    /// <summary>Builds the block's sublayers.</summary>
    public ConvBnActBlock(LayerContext context, ConvBnActBlockSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            chain = [sublayers.Conv("conv", spec.Filter, 1), sublayers.BatchNorm("batch_normalization"), sublayers.Activation("activation_layer", spec.Activation)];
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && MobileNetSublayers.IsTrainable(chain, Weights[index]);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        return [MobileNetSublayers.Chain(arguments, arguments.Input, chain).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
