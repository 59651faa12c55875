using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>
/// keras_hub <c>SqueezeAndExcite2D</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py <c>call</c>): the input
/// scaled per channel by a gate computed from its mean over rows and columns (channels_last).
/// </summary>
public sealed class SqueezeAndExcite2D : MobileNetBlock
{
    /// <summary>Builds the two 1x1 convolutions and the activations (<see cref="MobileNetSublayers.SqueezeAndExcite2DGate"/>).</summary>
    public SqueezeAndExcite2D(LayerContext context, SqueezeAndExcite2DSpec spec)
        : base(context, MobileNetSublayers.SqueezeAndExcite2DGate(context, spec), residual: false) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var x = arguments.Input;
        return [x.mul(Chain(arguments, x.mean([1, 2], keepdim: true))).MoveToOuterDisposeScope()];
    }
}
