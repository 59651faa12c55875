using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>DepthwiseConvBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py); see <see cref="DepthwiseConvBlockSpec"/>.</summary>
public sealed class DepthwiseConvBlock : MobileNetBlock
{
    /// <summary>Builds the block's sublayers (<see cref="MobileNetSublayers.DepthwiseConvBlock"/>).</summary>
    public DepthwiseConvBlock(LayerContext context, DepthwiseConvBlockSpec spec) : base(context, MobileNetSublayers.DepthwiseConvBlock(context, spec), spec.Residual) { }
}
