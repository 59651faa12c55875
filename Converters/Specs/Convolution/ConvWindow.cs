namespace KerasPort.Specs.Convolution;

/// <summary>
/// The window a convolution or pooling layer slides over its spatial axes: size, strides, dilation, padding and data
/// format (keras/src/layers/convolution/base_conv.py, keras/src/layers/pooling/base_pooling.py).
/// </summary>
/// <param name="Rank">The number of spatial axes.</param>
/// <param name="ChannelsFirst"><c>data_format='channels_first'</c>; Keras's default is channels_last.</param>
/// <param name="Size">The window size per spatial axis (<c>kernel_size</c>, <c>pool_size</c>).</param>
/// <param name="Strides">The stride per spatial axis.</param>
/// <param name="Dilation">The dilation rate per spatial axis (1 for pooling).</param>
/// <param name="Padding">The padding mode, parsed and validated here once.</param>
public sealed record ConvWindow(int Rank, bool ChannelsFirst, long[] Size, long[] Strides, long[] Dilation, PaddingMode Padding)
{
    /// <summary>The first spatial axis of a Keras-layout tensor (batch first): 2 for channels_first, else 1.</summary>
    public int FirstSpatialAxis => ChannelsFirst ? 2 : 1;

    /// <summary>The window of a convolution layer: <c>kernel_size</c>, <c>strides</c> and <c>dilation_rate</c> (default 1), <c>padding</c> ('causal' only in 1D).</summary>
    public static ConvWindow OfConvolution(LayerReader layer)
    {
        int rank = SpatialConfig.Rank(layer);
        var padding = SpatialConfig.Padding(layer);
        if (padding == PaddingMode.Causal && rank != 1) throw layer.ConfigError("padding", "'causal' needs a 1D convolution");
        return new(rank, layer.ChannelsFirst, SpatialConfig.Required(layer, "kernel_size", rank), SpatialConfig.Tuple(layer, "strides", rank, Ones(rank))!,
            SpatialConfig.Tuple(layer, "dilation_rate", rank, Ones(rank))!, padding);
    }

    /// <summary>The window of a pooling layer: <c>pool_size</c>, <c>strides</c> defaulting to the pool size, no dilation, no 'causal'.</summary>
    public static ConvWindow OfPooling(LayerReader layer)
    {
        int rank = SpatialConfig.Rank(layer);
        var size = SpatialConfig.Required(layer, "pool_size", rank);
        var padding = SpatialConfig.Padding(layer);
        if (padding == PaddingMode.Causal) throw layer.ConfigError("padding", "pooling does not support 'causal'");
        return new(rank, layer.ChannelsFirst, size, SpatialConfig.Tuple(layer, "strides", rank, size)!, Ones(rank), padding);
    }

    /// <summary>Per-axis ones (the default strides and dilation).</summary>
    public static long[] Ones(int rank) => Enumerable.Repeat(1L, rank).ToArray();
}
