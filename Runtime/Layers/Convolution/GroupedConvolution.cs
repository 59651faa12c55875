namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// What <see cref="Conv"/> and <see cref="DepthwiseConv"/> compute once their kernel is in torch layout:
/// <c>activation(conv(x, kernel, groups) + bias)</c>, and its fold with a following affine map. They differ only in
/// how the Keras kernel becomes a grouped torch kernel.
/// </summary>
public abstract class GroupedConvolution : KerasLayer, IFoldableLinear
{
    readonly ConvGeometry geometry;
    readonly long groups;
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly bool linear;

    /// <summary>
    /// Reads the kernel (weight 0) with <paramref name="readKernel"/>, which returns it in torch layout with its group
    /// count and output channels, then the bias (weight 1) when <paramref name="useBias"/>.
    /// </summary>
    private protected GroupedConvolution(LayerContext context, ConvWindow window, bool useBias, string activationName,
        Func<ConvGeometry, (Tensor Kernel, long Groups, long Filters)> readKernel) : base(context)
    {
        geometry = new ConvGeometry(window);
        context.ExpectWeightCount(useBias ? 2 : 1);
        (var torchKernel, groups, long filters) = readKernel(geometry);
        kernel = Own(torchKernel);
        bias = useBias ? Own(context.Weight(1, "bias", filters)) : null;
        activation = context.ActivationFunction(activationName);
        linear = activationName == "linear";
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments) => [activation(geometry.ConvolveKeras(arguments.Input, kernel, bias, groups))];

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;

    /// <inheritdoc />
    int? IFoldableLinear.OutputRank => geometry.Rank + 2;

    /// <inheritdoc />
    LinearInference? IFoldableLinear.Inference(Tensor? scale, Tensor? shift, ICollection<IDisposable> owned, (long Before, long After)[]? zeroPadded) =>
        geometry.Inference(kernel, bias, groups, linear, activation, scale, shift, owned, zeroPadded);
}
