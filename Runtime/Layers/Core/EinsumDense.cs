using KerasPort.Runtime.Quantization;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras <c>EinsumDense</c>: <c>activation(einsum(equation, x, kernel) + bias)</c>. Keras already stores the
/// bias in a shape that broadcasts against the output's trailing axes (size 1 for non-bias letters; see
/// keras/src/layers/core/einsum_dense.py <c>_analyze_split_string</c>), so it is added as is. A quantized layer
/// (int8, int4) computes as Keras does (<see cref="QuantizedKernel"/>); a LoRA layer uses kernel + (alpha / rank) · A·B.
/// </summary>
public sealed class EinsumDense : KerasLayer
{
    readonly string equation;
    readonly Func<Tensor, Tensor> product;
    readonly KernelVariables variables;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the layer.</summary>
    public EinsumDense(LayerContext context, EinsumDenseSpec spec) : base(context)
    {
        equation = spec.Equation;
        var biasAxes = spec.BiasAxes;
        variables = KernelVariables.Of(context, spec);
        var (inputLetters, kernelLetters, outputLetters) = (spec.InputLetters, spec.KernelLetters, spec.OutputLetters);
        long Size(char letter) => spec.Size(letter, i => context.InputDim(i));
        var kernelShape = kernelLetters.Select(Size).ToArray();
        activation = context.ActivationFunction(spec.Activation);
        if (variables.Quantization is { } quantization)
        {
            if (equation.Contains("...", StringComparison.Ordinal))
                throw new UnsupportedLayerException(ClassName, Name, $"a quantized EinsumDense with an ellipsis ('{equation}') is not supported");
            long Product(IEnumerable<char> letters) => letters.Select(Size).Aggregate(1L, (a, b) => a < 0 || b < 0 ? -1 : a * b);
            var reduced = spec.ReducedInputAxes.Select(i => (long)i).ToArray();
            var geometry = new KernelGeometry(kernelShape, Product(kernelLetters.Where(l => !outputLetters.Contains(l))),
                Product(kernelLetters.Where(outputLetters.Contains)),
                outputLetters.Select(l => kernelLetters.Contains(l) ? Size(l) : 1L).ToArray(), reduced,
                InputScaleToOutput(inputLetters, outputLetters), (x, k) => einsum(equation, x, k), Int4DividesOutput: false);
            product = QuantizedKernel.Read(context, quantization, variables.Roles, geometry, Own);
        }
        else
        {
            var kernel = Own(variables.FloatKernel(context, kernelShape));
            product = x => einsum(equation, x, kernel);
        }
        if (biasAxes.Length > 0)
        {
            int first = biasAxes.Min(letter => outputLetters.IndexOf(letter));
            bias = Own(variables.Weight(context, "bias", outputLetters[first..].Select(l => biasAxes.Contains(l) ? Size(l) : 1L).ToArray()));
        }
    }

    /// <summary>
    /// An int8 input scale (the input's axes, size 1 on the contracted ones) brought to the output's axes, as
    /// einsum_dense.py <c>_adjust_scale_for_quant(inputs_scale, "input")</c> does: the kept axes in output order, size 1 elsewhere.
    /// </summary>
    static Func<Tensor, Tensor> InputScaleToOutput(string inputLetters, string outputLetters)
    {
        var kept = string.Concat(inputLetters.Where(outputLetters.Contains));
        var permutation = outputLetters.Where(kept.Contains).Select(l => (long)kept.IndexOf(l)).ToArray();
        return scale =>
        {
            var sizes = scale.Sizes();
            var keptSizes = inputLetters.Select((l, i) => (l, i)).Where(p => kept.Contains(p.l)).Select(p => sizes[p.i]).ToArray();
            using var squeezed = scale.reshape(keptSizes);
            using var ordered = squeezed.permute(permutation);
            return ordered.reshape(outputLetters.Select(l => kept.Contains(l) ? keptSizes[kept.IndexOf(l)] : 1L).ToArray());
        };
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var y = product(arguments.Input);
        return [activation(bias is null ? y : y.Plus(bias))];
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && !variables.IsFrozen(index);

    /// <inheritdoc />
    public override long ParamCount => base.ParamCount + variables.UnsavedLoraParams(Weights);

    /// <inheritdoc />
    public override long TrainableParamCount => base.TrainableParamCount + (TrainableByConfig ? variables.UnsavedLoraParams(Weights) : 0);

    /// <summary>The layer does not support masking in Keras: a mask stops here (keras/src/layers/layer.py <c>__call__</c>).</summary>
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
