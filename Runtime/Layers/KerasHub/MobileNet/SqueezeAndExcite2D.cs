using KerasPort.KerasHub;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>
/// keras_hub <c>SqueezeAndExcite2D</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py <c>call</c>): the input
/// scaled per channel by a gate computed from its mean over rows and columns (channels_last).
/// </summary>
public sealed class SqueezeAndExcite2D : KerasLayer
{
    readonly HubSublayers sublayers;
    readonly KerasLayer?[] gate;

    /// <summary>Builds the two 1x1 convolutions and the activations (<see cref="MobileNetSublayers.SqueezeAndExcite2DGate"/>).</summary>
    public SqueezeAndExcite2D(LayerContext context, SqueezeAndExcite2DSpec spec) : base(context)
    {
        sublayers = new HubSublayers(context);
        try
        {
            gate = MobileNetChain.Build(sublayers, MobileNetSublayers.SqueezeAndExcite2DGate(context, spec));
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
        var x = arguments.Input;
        var pooled = x.mean([1, 2], keepdim: true);
        return [x.mul(MobileNetChain.Run(arguments, pooled, gate)).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
