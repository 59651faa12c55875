namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Keras <c>Conv1DTranspose/2DTranspose/3DTranspose</c>: <c>activation(conv_transpose(x, kernel) + bias)</c> with
/// strides, dilation, 'valid' or 'same' padding and <c>output_padding</c>, as in
/// keras/src/layers/convolution/base_conv_transpose.py. The kernel is <c>(k..., filters, in)</c>. The output window
/// comes from <see cref="KerasPadding.Transposed"/>; the bias is added after the window is cut, so appended cells get it too.
/// </summary>
public sealed class ConvTranspose : KerasLayer
{
    /// <summary>Class names this layer stands for.</summary>
    readonly ConvGeometry geometry;
    readonly long[] padding;
    readonly (long Before, long After)[] crops;
    readonly Tensor kernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the layer.</summary>
    public ConvTranspose(LayerContext context, ConvTransposeSpec spec) : base(context)
    {
        geometry = new ConvGeometry(spec.Window);
        (padding, crops) = KerasPadding.Transposed(geometry.Padding, geometry.Kernel, geometry.Strides, geometry.Dilation, spec.OutputPadding);
        long filters = spec.Filters;
        bool useBias = spec.UseBias;
        context.ExpectWeightCount(useBias ? 2 : 1);
        kernel = Own(ConvGeometry.TorchKernel(context, 0, "kernel", [.. geometry.Kernel, filters, geometry.InputChannels(context)]));
        if (useBias)
        {
            using var vector = context.Weight(1, "bias", filters);
            bias = Own(vector.reshape([filters, .. ConvGeometry.Ones(geometry.Rank)]));
        }
        activation = context.ActivationFunction(spec.Activation);
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        var x = ChannelLayout.ToTorch(arguments.Input, geometry.ChannelsFirst);
        var full = TorchOps.ConvTranspose(x, kernel, geometry.Strides, padding, geometry.Dilation);
        var y = ConvPadding.Crop(full, crops);
        if (bias is not null) y = y.Plus(bias);
        return [activation(ChannelLayout.FromTorch(y, geometry.ChannelsFirst))];
    }

    /// <inheritdoc />
    public override Tensor? ComputeMask(CallArguments arguments, Tensor? inputMask) => null;
}
