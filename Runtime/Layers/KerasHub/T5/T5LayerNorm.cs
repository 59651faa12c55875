namespace KerasPort.Runtime.Layers.KerasHub.T5;

/// <summary>keras_hub <c>T5LayerNorm</c> (keras_hub/src/models/t5/t5_layer_norm.py <c>call</c>); see <see cref="T5LayerNormSpec"/>.</summary>
public sealed class T5LayerNorm : KerasLayer
{
    readonly double epsilon;
    readonly Tensor weight;

    /// <summary>Builds the layer from its one weight.</summary>
    public T5LayerNorm(LayerContext context, T5LayerNormSpec spec) : base(context)
    {
        context.ExpectWeightCount(1);
        epsilon = spec.Epsilon;
        weight = Own(context.Weight(0, "weight", context.InputDim(-1)));
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [Normalize(arguments.Input)];

    /// <summary><c>weight * x * rsqrt(mean(x^2, -1) + epsilon)</c>.</summary>
    public Tensor Normalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        var variance = x.Squared().mean([-1L], keepdim: true);
        return weight.mul(x.mul(variance.Plus(epsilon).rsqrt())).MoveToOuterDisposeScope();
    }
}
