namespace KerasPort.Specs.Convolution;

/// <summary>Keras <c>Conv1D/2D/3D</c> (keras/src/layers/convolution/base_conv.py): <c>activation(conv(x, kernel) + bias)</c>.</summary>
/// <param name="Window">Kernel size, strides, dilation, padding and data format.</param>
/// <param name="Filters">The output channel count.</param>
/// <param name="Groups">The number of channel groups convolved separately.</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="Activation">The activation's name.</param>
public sealed record ConvSpec(ConvWindow Window, long Filters, long Groups, bool UseBias, string Activation) : LayerSpec, ILayerSpec<ConvSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D"];

    /// <inheritdoc />
    public static ConvSpec Read(LayerReader layer) => new(ConvWindow.OfConvolution(layer), ConvolutionConfig.Filters(layer),
        layer.IntAtLeast("groups", 1, 1), layer.Bool("use_bias", true), layer.ActivationName());

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => UseBias ? [new("kernel", "W"), new("bias", "b")] : [new("kernel", "W")];
}
