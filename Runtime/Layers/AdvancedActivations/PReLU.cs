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
    public PReLU(LayerContext context, PReLUSpec spec) : base(context)
    {
        context.ExpectWeightCount(1);
        alpha = Own(context.Weight(0, "alpha", context.InputShapes is [var input, ..] ? spec.AlphaShape(input)
            : Enumerable.Repeat(-1L, context.Weights.Count > 0 ? context.Weights[0].Value.Shape.Length : 1).ToArray()));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        return [F.relu(x).Plus(-alpha * F.relu(-x))];
    }
}
