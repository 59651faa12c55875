using KerasPort.KerasHub;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>ConvBnActBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py): 1x1 Conv2D, BatchNormalization, activation.</summary>
public sealed class ConvBnActBlock : MobileNetBlock
{
    /// <summary>Builds the block's sublayers (<see cref="MobileNetSublayers.ConvBnActBlock"/>).</summary>
    public ConvBnActBlock(LayerContext context, ConvBnActBlockSpec spec) : base(context, MobileNetSublayers.ConvBnActBlock(context, spec), residual: false) { }
}
