using KerasPort.Converters.Keras;
using KerasPort.Runtime.Layers.Convolution;
using static TorchSharp.torch;

namespace KerasPort.Tests.Runtime;

/// <summary>The convolution family's padding arithmetic and its channels_last view strategy.</summary>
public sealed class ConvolutionLayoutTests
{
    [Theory]
    [InlineData(9, 3, 2, 1, 1, 1)]   // (ceil(9/2) - 1) * 2 + 3 - 9 = 2: even, split
    [InlineData(8, 3, 2, 1, 0, 1)]   // total 1: the odd cell goes at the end
    [InlineData(7, 4, 1, 1, 1, 2)]   // stride 1: total k - 1 = 3
    [InlineData(10, 3, 1, 2, 2, 2)]  // dilation 2: effective kernel 5
    [InlineData(9, 2, 3, 1, 0, 0)]   // stride larger than the kernel: no pad
    public void SamePaddingFollowsTensorFlow(long input, long kernel, long stride, long dilation, long before, long after)
    {
        var pads = ConvPadding.Pads(PaddingMode.Same, [input], [kernel], [stride], [dilation]);
        Assert.Equal((before, after), pads[0]);
    }

    [Fact]
    public void CausalPaddingIsAllAtTheStart()
    {
        Assert.Equal((4L, 0L), ConvPadding.Pads(PaddingMode.Causal, [10], [3], [1], [2])[0]);
    }

    [Fact]
    public void SamePaddingOfAnUnknownSizeIsKnownOnlyWithStrideOne()
    {
        Assert.Equal((1L, 2L), KerasPadding.Pads(PaddingMode.Same, [-1], [4], [1], [1])![0]);
        Assert.Null(KerasPadding.Pads(PaddingMode.Same, [-1], [3], [2], [1]));
        Assert.Equal((0L, 0L), KerasPadding.Pads(PaddingMode.Valid, [-1], [3], [2], [1])![0]);
    }

    [Theory]
    [InlineData("same", 3, 2, -1, 5, 10)]   // 'same' gives in * stride
    [InlineData("same", 4, 2, -1, 5, 10)]
    [InlineData("valid", 3, 2, -1, 5, 11)]  // (in - 1) * s + max(k, s)
    [InlineData("valid", 2, 3, -1, 5, 15)]  // stride above the kernel: zeros appended
    [InlineData("valid", 3, 3, 1, 5, 16)]   // (in - 1) * s + k + output_padding
    [InlineData("same", 3, 2, 1, 4, 8)]     // (in - 1) * s + k % 2 + output_padding
    public void TransposedWindowHasKerasSize(string padding, long kernel, long stride, long outputPadding, long input, long expected)
    {
        var mode = KerasPadding.Parse(padding, "t");
        var (torchPadding, crops) = KerasPadding.Transposed(mode, [kernel], [stride], [1], outputPadding < 0 ? null : [outputPadding]);
        long full = (input - 1) * stride + kernel - 2 * torchPadding[0];
        Assert.Equal(expected, full - crops[0].Before - crops[0].After);
    }

    [Fact]
    public void ChannelsLastViewsNeedNoCopies()
    {
        using var scope = NewDisposeScope();
        var nhwc = randn(2, 7, 6, 3);
        var view = ChannelLayout.ToTorch(nhwc, channelsFirst: false);
        Assert.Equal([2L, 3, 7, 6], view.shape);
        Assert.Equal([126L, 1, 18, 3], view.stride()); // a view of the NHWC storage, channels_last to torch

        var kernel = ChannelLayout.TorchKernel(randn(3, 3, 3, 4)); // Keras (kh, kw, in, out)
        Assert.Equal([4L, 3, 3, 3], kernel.shape);
        Assert.Equal([27L, 1, 9, 3], kernel.stride()); // torch's channels_last strides for (out, in, kh, kw)

        var output = ChannelLayout.FromTorch(nn.functional.conv2d(view, kernel), channelsFirst: false);
        Assert.Equal([2L, 5, 4, 4], output.shape);
        Assert.True(output.is_contiguous()); // torch computed in channels_last, so the NHWC view is dense
    }
}
