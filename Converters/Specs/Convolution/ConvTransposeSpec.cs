namespace KerasPort.Specs.Convolution;

/// <summary>Keras <c>Conv1D/2D/3DTranspose</c> (keras/src/layers/convolution/base_conv_transpose.py).</summary>
/// <param name="Window">Kernel size, strides, dilation, padding and data format.</param>
/// <param name="Filters">The output channel count.</param>
/// <param name="OutputPadding">The extra cells per spatial axis (<c>output_padding</c>), or null for Keras's default.</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="Activation">The activation's name.</param>
public sealed record ConvTransposeSpec(ConvWindow Window, long Filters, long[]? OutputPadding, bool UseBias, string Activation) : LayerSpec, ILayerSpec<ConvTransposeSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } =
        ["Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Convolution1DTranspose", "Convolution2DTranspose", "Convolution3DTranspose"];

    /// <inheritdoc />
    public static ConvTransposeSpec Read(LayerReader layer)
    {
        var window = ConvWindow.OfConvolution(layer);
        if (window.Padding == PaddingMode.Causal) throw layer.ConfigError("padding", "transposed convolutions do not support 'causal'");
        return new(window, ConvolutionConfig.Filters(layer), SpatialConfig.Tuple(layer, "output_padding", window.Rank), layer.Bool("use_bias", true), layer.ActivationName());
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => UseBias ? [new("kernel", "W"), new("bias", "b")] : [new("kernel", "W")];
}
