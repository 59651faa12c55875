using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>Picks torch's 1D, 2D or 3D convolution and pooling operator by the number of spatial axes.</summary>
internal static class TorchOps
{
    /// <summary>Convolution of torch-layout <paramref name="x"/> with weight <c>(out, in / groups, k...)</c>.</summary>
    public static Tensor Conv(Tensor x, Tensor weight, Tensor? bias, long[] strides, long[] padding, long[] dilation, long groups) => strides.Length switch
    {
        1 => F.conv1d(x, weight, bias, strides[0], padding[0], dilation[0], groups),
        2 => F.conv2d(x, weight, bias, strides, padding, dilation, groups),
        _ => F.conv3d(x, weight, bias, strides, padding, dilation, groups),
    };

    /// <summary>Transposed convolution (no bias, no output padding) of torch-layout <paramref name="x"/> with weight <c>(in, out, k...)</c>.</summary>
    public static Tensor ConvTranspose(Tensor x, Tensor weight, long[] strides, long[] padding, long[] dilation) => strides.Length switch
    {
        1 => F.conv_transpose1d(x, weight, null, strides[0], padding[0], 0, dilation[0]),
        2 => F.conv_transpose2d(x, weight, null, strides, padding, new long[2], dilation),
        _ => F.conv_transpose3d(x, weight, null, strides, padding, new long[3], dilation),
    };

    /// <summary>Max pooling; torch pads a non-zero symmetric <paramref name="padding"/> with -inf.</summary>
    public static Tensor MaxPool(Tensor x, long[] size, long[] strides, long[] padding) => size.Length switch
    {
        1 => F.max_pool1d(x, size[0], strides[0], padding[0]),
        2 => F.max_pool2d(x, size, strides, padding),
        _ => F.max_pool3d(x, size, strides, padding),
    };

    /// <summary>Average pooling without padding: each window's sum divided by the window size.</summary>
    public static Tensor AvgPool(Tensor x, long[] size, long[] strides) => size.Length switch
    {
        1 => F.avg_pool1d(x, size[0], strides[0]),
        2 => F.avg_pool2d(x, size, strides),
        _ => F.avg_pool3d(x, size, strides),
    };

    /// <summary>
    /// Average pooling with symmetric zero <paramref name="padding"/> whose padded cells count in no window's divisor
    /// (<c>count_include_pad=False</c>): each output is the window's sum over the number of real cells in it.
    /// </summary>
    public static Tensor AvgPoolExcludingPadding(Tensor x, long[] size, long[] strides, long[] padding) => size.Length switch
    {
        1 => F.avg_pool1d(x, size[0], strides[0], padding[0], count_include_pad: false),
        2 => F.avg_pool2d(x, size, strides, padding, count_include_pad: false),
        _ => F.avg_pool3d(x, size, strides, padding, count_include_pad: false),
    };

    /// <summary>Adaptive max or average pooling to <paramref name="size"/> (torch's bins: <c>floor(i * in / out)</c> to <c>ceil((i + 1) * in / out)</c>).</summary>
    public static Tensor AdaptivePool(Tensor x, long[] size, bool max) => (size.Length, max) switch
    {
        (1, true) => F.adaptive_max_pool1d(x, size[0]),
        (1, false) => F.adaptive_avg_pool1d(x, size[0]),
        (2, true) => F.adaptive_max_pool2d(x, size),
        (2, false) => F.adaptive_avg_pool2d(x, size),
        (_, true) => F.adaptive_max_pool3d(x, size),
        (_, false) => F.adaptive_avg_pool3d(x, size),
    };
}
