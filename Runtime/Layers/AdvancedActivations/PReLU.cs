using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>
/// Keras <c>PReLU</c>: <c>relu(x) - alpha * relu(-x)</c> (keras/src/layers/activations/prelu.py) with a learned
/// <c>alpha</c> shaped as the input without its batch axis, size 1 along the <c>shared_axes</c>.
/// </summary>
public sealed class PReLU : KerasLayer
{
    readonly Tensor alpha;

    /// <summary>Builds the layer.</summary>
    public PReLU(LayerContext context) : base(context)
    {
        context.ExpectWeightCount(1);
        var rank = context.Weights[0].Value.Shape.Length;
        alpha = Own(context.Weight(0, "alpha", Enumerable.Repeat(-1L, rank).ToArray()));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        return [F.relu(x) + -alpha * F.relu(-x)];
    }
}
