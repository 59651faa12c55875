using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.AdvancedActivations;

/// <summary>
/// Keras <c>Softmax</c> over <c>axis</c> (an integer or a list). A mask, when the call has one, adds -1e9 to the
/// masked entries first; over several axes the result is <c>exp(x - logsumexp(x))</c>
/// (keras/src/layers/activations/softmax.py).
/// </summary>
public sealed class Softmax : KerasLayer
{
    readonly int[] axes;

    /// <summary>Builds the layer.</summary>
    public Softmax(LayerContext context, SoftmaxSpec spec) : base(context) => axes = spec.Axes;

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = arguments.Input;
        if (arguments.Mask is { } mask) x = x.Plus(mask.to_type(x.dtype).OneMinus() * Of(SoftmaxSpec.MaskedLogit));
        if (axes is [var axis]) return [F.softmax(x, axis)];
        var logSum = axes.Select(a => (long)(a < 0 ? a + x.dim() : a)).Aggregate(x, (sum, a) => sum.logsumexp(a, keepdim: true));
        return [(x - logSum).exp()];
    }
}
