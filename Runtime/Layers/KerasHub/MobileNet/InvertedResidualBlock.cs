using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>InvertedResidualBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py); see <see cref="InvertedResidualBlockSpec"/>.</summary>
public sealed class InvertedResidualBlock : KerasLayer
{
    readonly bool residual;
    readonly HubSublayers sublayers;
    readonly KerasLayer?[] chain;

    /// <summary>Builds the block's sublayers (<see cref="MobileNetSublayers.InvertedResidualBlock"/>).</summary>
    public InvertedResidualBlock(LayerContext context, InvertedResidualBlockSpec spec) : base(context)
    {
        residual = spec.Residual;
        sublayers = new HubSublayers(context);
        try
        {
            chain = MobileNetChain.Build(sublayers, MobileNetSublayers.InvertedResidualBlock(context, spec));
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
        return [(residual ? x.Plus(arguments.Input) : x).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
