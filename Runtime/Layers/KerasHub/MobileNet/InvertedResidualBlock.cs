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

    /// <summary>Builds the block's sublayers, in the order its constructor creates them.</summary>
    public InvertedResidualBlock(LayerContext context, InvertedResidualBlockSpec spec) : base(context)
    {
        residual = spec.Residual;
        int expanded = spec.ExpandedChannels;
        sublayers = new HubSublayers(context);
        try
        {
            chain =
            [
                sublayers.Conv("conv1", expanded, 1),
                sublayers.BatchNorm("batch_normalization1"),
                sublayers.Activation("activation1", spec.Activation),
                sublayers.ZeroPadding("pad", spec.Padding),
                sublayers.Conv("conv2", expanded, spec.KernelSize, spec.Stride, groups: expanded),
                sublayers.BatchNorm("batch_normalization2"),
                sublayers.Activation("activation2", spec.Activation),
                spec.SqueezeExciteRatio is { } ratio ? sublayers.SqueezeExcite("squeeze_excite", expanded, ratio) : null,
                sublayers.Conv("conv3", spec.Filters, 1),
                sublayers.BatchNorm("batch_normalization3"),
            ];
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
        var x = MobileNetSublayers.Chain(arguments, arguments.Input, chain);
        return [(residual ? arguments.Input.Plus(x) : x).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
