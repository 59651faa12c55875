using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras <c>EinsumDense</c>: <c>activation(einsum(equation, x, kernel) + bias)</c>. Keras already stores the
/// bias in a shape that broadcasts against the output's trailing axes (size 1 for non-bias letters; see
/// keras/src/layers/core/einsum_dense.py <c>_analyze_split_string</c>), so it is added as is.
/// </summary>
public sealed class EinsumDense : KerasLayer
{
    readonly string equation;
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the layer.</summary>
    public EinsumDense(LayerContext context) : base(context)
    {
        equation = context.String("equation") ?? throw new FormatException($"EinsumDense '{context.Name}' has no 'equation'");
        bool useBias = !string.IsNullOrEmpty(context.String("bias_axes"));
        context.ExpectWeightCount(useBias ? 2 : 1);
        var kernelLetters = equation.Split("->")[0].Split(',')[1].Trim();
        kernel = Own(context.Weight(0, "kernel", AnyShape(kernelLetters.Length)));
        if (useBias) bias = Own(context.Weight(1, "bias", AnyShape(context.Weights[1].Value.Shape.Length)));
        activation = context.Activation();
    }

    static long[] AnyShape(int rank) => Enumerable.Repeat(-1L, rank).ToArray();

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var y = einsum(equation, arguments.Input, kernel);
        return [activation(bias is null ? y : y + bias)];
    }
}
