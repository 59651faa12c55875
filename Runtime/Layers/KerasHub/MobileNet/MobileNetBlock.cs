using KerasPort.Runtime.Layers.KerasHub.Modeling;

namespace KerasPort.Runtime.Layers.KerasHub.MobileNet;

/// <summary>
/// A keras_hub MobileNet block (keras_hub/src/models/mobilenet/mobilenet_backbone.py): a chain of Keras sublayers
/// (<see cref="KerasPort.KerasHub.MobileNetSublayers"/>, null entries for an absent squeeze-and-excite) called in turn,
/// with the block's input added back when it is residual.
/// </summary>
public abstract class MobileNetBlock : KerasLayer
{
    readonly bool residual;
    readonly HubSublayers sublayers;
    readonly KerasLayer?[] chain;

    /// <summary>Builds the sublayers <paramref name="descriptions"/> lists.</summary>
    private protected MobileNetBlock(LayerContext context, IEnumerable<LayerDescription?> descriptions, bool residual) : base(context)
    {
        this.residual = residual;
        sublayers = new HubSublayers(context);
        try
        {
            chain = [.. descriptions.Select(d => d is null ? null : sublayers.Create(d))];
        }
        catch
        {
            sublayers.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether weight <paramref name="index"/> is trainable in the sublayer that holds it: a BatchNormalization's moving
    /// statistics are not, as Keras counts them. The sublayers hold the block's arrays renamed.
    /// </summary>
    public override bool IsTrainableWeight(int index) =>
        TrainableByConfig && (chain.OfType<KerasLayer>()
            .Select(layer => (layer, at: layer.Weights.ToList().FindIndex(w => ReferenceEquals(w.Value, Weights[index].Value))))
            .FirstOrDefault(found => found.at >= 0) is not ({ } owner, var at) || owner.IsTrainableWeight(at));

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var x = Chain(arguments, arguments.Input);
        return [(residual ? x.Plus(arguments.Input) : x).MoveToOuterDisposeScope()];
    }

    /// <summary>Calls the chain's sublayers in turn on <paramref name="x"/>.</summary>
    protected Tensor Chain(CallArguments call, Tensor x)
    {
        foreach (var layer in chain)
            if (layer is not null) x = HubSublayers.Apply(layer, call, x);
        return x;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) sublayers.Dispose();
        base.Dispose(disposing);
    }
}
