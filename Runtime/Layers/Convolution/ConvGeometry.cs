using KerasPort.Converters.Keras;
using static TorchSharp.torch;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// The geometry of a Keras convolution (kernel size, strides, dilation, padding, data format) and the padded
/// torch convolution it implies, shared by the convolution layers.
/// </summary>
internal sealed class ConvGeometry
{
    /// <summary>Reads the geometry from a convolution layer's config.</summary>
    public ConvGeometry(LayerContext context)
    {
        Rank = SpatialConfig.Rank(context);
        Kernel = SpatialConfig.Required(context, "kernel_size", Rank);
        Strides = SpatialConfig.Tuple(context, "strides", Rank, Ones(Rank))!;
        Dilation = SpatialConfig.Tuple(context, "dilation_rate", Rank, Ones(Rank))!;
        Padding = SpatialConfig.Padding(context);
        ChannelsFirst = SpatialConfig.ChannelsFirst(context);
        if (Padding == PaddingMode.Causal && Rank != 1)
            throw new FormatException($"layer '{context.Name}': padding='causal' needs a 1D convolution");
    }

    /// <summary>Number of spatial axes.</summary>
    public int Rank { get; }

    /// <summary>Kernel size per spatial axis.</summary>
    public long[] Kernel { get; }

    /// <summary>Stride per spatial axis.</summary>
    public long[] Strides { get; }

    /// <summary>Dilation rate per spatial axis.</summary>
    public long[] Dilation { get; }

    /// <summary>The padding mode.</summary>
    public PaddingMode Padding { get; }

    /// <summary>True when the layer's tensors are channels_first.</summary>
    public bool ChannelsFirst { get; }

    /// <summary>
    /// Convolves torch-layout <paramref name="x"/> (<c>N, C, spatial...</c>) with torch weight
    /// <paramref name="weight"/>, padded as the layer's padding mode says.
    /// </summary>
    public Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, long groups)
    {
        var pads = ConvPadding.Pads(Padding, x.shape[2..], Kernel, Strides, Dilation);
        var (input, torchPadding) = ConvPadding.ForTorch(x, pads);
        return TorchOps.Conv(input, weight, bias, Strides, torchPadding, Dilation, groups);
    }

    /// <summary>Convolves a Keras-layout tensor: a torch-layout view in, <see cref="Convolve"/>, a Keras-layout view out.</summary>
    public Tensor ConvolveKeras(Tensor input, Tensor weight, Tensor? bias, long groups) =>
        ChannelLayout.FromTorch(Convolve(ChannelLayout.ToTorch(input, ChannelsFirst), weight, bias, groups), ChannelsFirst);

    /// <summary>A Keras kernel read from weight <paramref name="index"/>, converted to torch's layout.</summary>
    public static Tensor TorchKernel(LayerContext context, int index, string role, params long[] kerasShape)
    {
        using var raw = context.Weight(index, role, kerasShape);
        return ChannelLayout.TorchKernel(raw);
    }

    /// <summary>
    /// A Keras depthwise kernel <c>(k..., in, depth_multiplier)</c> from weight <paramref name="index"/> as the torch
    /// weight of a grouped convolution with one group per input channel, <c>(in * depth_multiplier, 1, k...)</c>;
    /// output channel <c>c * depth_multiplier + m</c> is input channel <c>c</c> under multiplier <c>m</c>, the order
    /// of keras/src/backend/torch/nn.py <c>depthwise_conv</c>. <paramref name="groups"/> gets the input channel count.
    /// </summary>
    public Tensor DepthwiseKernel(LayerContext context, int index, string role, long multiplier, out long groups)
    {
        using var raw = context.Weight(index, role, [.. Kernel, InputChannels(context), multiplier]);
        groups = raw.shape[Rank];
        using var flat = raw.reshape([.. Kernel, 1, groups * multiplier]);
        return ChannelLayout.TorchKernel(flat);
    }

    /// <summary>The input's channel count when the input shape is known (graph built along a dummy pass), else -1.</summary>
    public long InputChannels(LayerContext context) => context.InputDim(ChannelsFirst ? 1 : -1);

    /// <summary>Per-axis ones, the default of strides and dilation.</summary>
    public static long[] Ones(int rank) => Enumerable.Repeat(1L, rank).ToArray();
}
