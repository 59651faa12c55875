using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Specs.KerasHub;
using static KerasPort.Runtime.KeptScalars;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>keras_hub <c>DepthwiseConvBlock</c> (keras_hub/src/models/mobilenet/mobilenet_backbone.py); see <see cref="DepthwiseConvBlockSpec"/>.</summary>
public sealed class DepthwiseConvBlock : KerasLayer
{
    readonly bool residual;
    readonly HubSublayers sublayers;
    readonly KerasLayer?[] chain;

    /// <summary>Builds the block's sublayers, in the order its constructor creates them.</summary>
    public DepthwiseConvBlock(LayerContext context, DepthwiseConvBlockSpec spec) : base(context)
    {
        residual = spec.Residual;
        sublayers = new HubSublayers(context);
        try
        {
            chain =
            [
                sublayers.ZeroPadding("pad", 1),
                sublayers.Conv("conv1", spec.InFilters, spec.KernelSize, spec.Stride, groups: spec.InFilters),
                sublayers.BatchNorm("batch_normalization1"),
                sublayers.Activation("activation1", "relu"),
                spec.SqueezeExciteRatio is { } ratio ? sublayers.SqueezeExcite("se_layer", spec.InFilters, ratio) : null,
                sublayers.Conv("conv2", spec.Filters, 1),
                sublayers.BatchNorm("batch_normalization2"),
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
        return [(residual ? x.Plus(arguments.Input) : x).MoveToOuterDisposeScope()];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
