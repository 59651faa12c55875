using KerasPort.Runtime.Quantization;

namespace KerasPort.Runtime.Layers.Core;

/// <summary>
/// Keras <c>Dense</c>: <c>activation(x @ kernel + bias)</c> on the last axis of an input of any rank. Kernel is
/// <c>[input_dim, units]</c>. A quantized layer (int8, int4) computes as Keras does (<see cref="QuantizedKernel"/>);
/// a LoRA layer uses kernel + (alpha / rank) · A·B.
/// </summary>
public sealed class Dense : KerasLayer, IFoldableLinear
{
    readonly Tensor? kernel;
    readonly long[] kernelShape;
    readonly Func<Tensor, Tensor>? quantizedProduct;
    readonly KernelVariables variables;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly bool linear;
    // Outside training builds only (see the constructor).
    readonly Tensor? linearWeight;
    readonly Func<Tensor, Tensor>? inPlaceActivation;

    /// <summary>Builds the layer.</summary>
    public Dense(LayerContext context, DenseSpec spec) : base(context)
    {
        long units = spec.Units;
        bool useBias = spec.UseBias;
        long inputDim = context.InputDim(-1);
        variables = KernelVariables.Of(context, spec);
        activation = context.ActivationFunction(spec.Activation);
        linear = spec.Activation == "linear";
        if (variables.Quantization is { } quantization)
        {
            long rows = inputDim >= 0 || context.Weights.Count == 0 ? inputDim : context.Weights[variables.Roles["kernel"]].Value.Shape[0];
            kernelShape = [rows, units];
            quantizedProduct = QuantizedKernel.Read(context, quantization, variables.Roles,
                new KernelGeometry(kernelShape, rows, units, [units], [-1], s => s, (x, k) => Checked(x).matmul(k), Int4DividesOutput: true), Own);
        }
        else
        {
            kernel = Own(variables.FloatKernel(context, inputDim, units));
            kernelShape = kernel.Sizes();
        }
        bias = useBias ? Own(variables.Weight(context, "bias", units)) : null;
        if (quantizedProduct is not null) return;
        if (context.Bindings is null)
        {
            // Outside training builds: libtorch's linear (one addmm, the bias in the same call) on the kernel seen as
            // linear's (units, input_dim) weight, and the activation in place on that fresh result. Training builds keep
            // Keras's matmul-then-add on the bound kernel, where autograd needs the plain operators.
            linearWeight = Own(kernel!.t());
            inPlaceActivation = Activations.Activations.InPlace(spec.Activation);
        }
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        if (quantizedProduct is not null)
        {
            var product = quantizedProduct(arguments.Input);
            return [activation(bias is null ? product : product.Plus(bias))];
        }
        if (linearWeight is null) return [activation(Affine(arguments.Input, kernel!, bias))];
        var y = nn.functional.linear(Checked(arguments.Input), linearWeight, bias);
        return [inPlaceActivation is null ? activation(y) : inPlaceActivation(y)];
    }

    /// <summary><paramref name="x"/>, once its last axis is known to fit the kernel.</summary>
    Tensor Checked(Tensor x)
    {
        // libtorch reports a shape error by aborting the process on some platforms (an uncaught c10::Error):
        // check in C# that the kernel fits the input, since the kernel's first axis is unchecked when the file's input shape is unknown.
        if (x.dim() == 0)
            throw new KerasPortException($"layer '{Name}' (Dense): input is a scalar, the kernel expects {kernelShape[0]} features");
        if (x.size(-1) is var features && features != kernelShape[0])
            throw new KerasPortException($"layer '{Name}' (Dense): input has {features} features, the kernel expects {kernelShape[0]}");
        return x;
    }

    Tensor Affine(Tensor x, Tensor weights, Tensor? offsets)
    {
        var y = Checked(x).matmul(weights);
        return offsets is null ? y : y.Plus(offsets);
    }

    /// <inheritdoc />
    public override bool IsTrainableWeight(int index) => TrainableByConfig && !variables.IsFrozen(index);

    /// <inheritdoc />
    public override long ParamCount => base.ParamCount + variables.UnsavedLoraParams(Weights);

    /// <inheritdoc />
    public override long TrainableParamCount => base.TrainableParamCount + (TrainableByConfig ? variables.UnsavedLoraParams(Weights) : 0);

    /// <inheritdoc />
    int? IFoldableLinear.OutputRank => null;

    /// <inheritdoc />
    LinearInference? IFoldableLinear.Inference(Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded)
    {
        if (kernel is null || scale is null || shift is null || !linear || zeroPadded is not null) return null;
        // The kernel is (input_dim, units): the output channels are its last axis, where scale broadcasts.
        var foldedKernel = AffineFolding.Keep(kernel * scale, owned);
        var foldedBias = AffineFolding.Bias(bias, scale, shift, owned);
        return new LinearInference(x => Affine(x, foldedKernel, foldedBias));
    }
}
