using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>ConvBnActBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py): 1x1 Conv2D, BatchNormalization, activation.</summary>
public sealed class ConvBnActBlock : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer?[] chain;

    /// <summary>Builds the block's sublayers (<see cref="MobileNetSublayers.ConvBnActBlock"/>).</summary>
    public ConvBnActBlock(LayerContext context, ConvBnActBlockSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            chain = MobileNetChain.Build(sublayers, MobileNetSublayers.ConvBnActBlock(context, spec));
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && MobileNetChain.IsTrainable(chain, Weights[index]);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var x = MobileNetChain.Run(arguments, arguments.Input, chain);
        return [x.MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
