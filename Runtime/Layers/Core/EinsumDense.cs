using static KerasPort.Runtime.KeptScalars;
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
        var biasAxes = context.String("bias_axes") ?? "";
        context.ExpectWeightCount(biasAxes.Length > 0 ? 2 : 1);
        var sides = equation.Replace(" ", "").Split("->");
        var (inputLetters, kernelLetters) = (sides[0].Split(',')[0], sides[0].Split(',')[1]);
        var outputLetters = sides[1];
        var outputShape = context.Ints("output_shape") ?? [];
        // A letter's size comes from the input if it appears there, else from output_shape, which lists the
        // output axes after the first (keras/src/layers/core/einsum_dense.py _analyze_split_string).
        long Size(char letter) => inputLetters.IndexOf(letter) is var i and >= 0 ? context.InputDim(i)
            : outputLetters.IndexOf(letter) is var o and >= 1 && o - 1 < outputShape.Length ? outputShape[o - 1] : -1;
        kernel = Own(context.Weight(0, "kernel", kernelLetters.Select(Size).ToArray()));
        if (biasAxes.Length > 0)
        {
            int first = biasAxes.Min(letter => outputLetters.IndexOf(letter));
            bias = Own(context.Weight(1, "bias", outputLetters[first..].Select(l => biasAxes.Contains(l) ? Size(l) : 1L).ToArray()));
        }
        activation = context.Activation();
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var y = einsum(equation, arguments.Input, kernel);
        return [activation(bias is null ? y : y.Plus(bias))];
    }

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
