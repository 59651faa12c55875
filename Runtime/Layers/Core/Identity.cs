using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Layers that are the identity at inference: Keras's <c>Identity</c>, and the dropout, noise and activity
/// regularization layers, which only act when <c>training=True</c>.
/// </summary>
public sealed class Identity : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    public static readonly string[] ClassNames =
    [
        "Identity", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
        "GaussianDropout", "GaussianNoise", "ActivityRegularization",
    ];

    /// <summary>Builds the layer.</summary>
    public Identity(LayerContext context) : base(context) { }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [arguments.Input];
}
