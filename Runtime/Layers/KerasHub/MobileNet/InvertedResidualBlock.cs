using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>InvertedResidualBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py); see <see cref="InvertedResidualBlockSpec"/>.</summary>
public sealed class InvertedResidualBlock : MobileNetBlock
{
    /// <summary>Builds the block's sublayers (<see cref="MobileNetSublayers.InvertedResidualBlock"/>).</summary>
    public InvertedResidualBlock(LayerContext context, InvertedResidualBlockSpec spec) : base(context, MobileNetSublayers.InvertedResidualBlock(context, spec), spec.Residual) { }
}
