using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Merging;

/// <summary>Keras <c>Concatenate</c>: joins its inputs along <c>axis</c> (default -1).</summary>
public sealed class Concatenate : KerasLayer
{
    readonly int axis;

    /// <summary>Builds the layer.</summary>
    public Concatenate(LayerContext context) : base(context) => axis = context.Int("axis", -1);

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [cat(arguments.Inputs.ToList(), axis)];
}
