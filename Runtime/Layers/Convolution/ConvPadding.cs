using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>
/// Applies the padding of the convolution and pooling layers to torch-layout tensors; the arithmetic (TensorFlow-style
/// 'same' and 'causal' pads, the output window of transposed convolutions) is <see cref="KerasPadding"/>'s.
/// </summary>
internal static class ConvPadding
{
    /// <summary>
    /// The (before, after) pad of each spatial axis of an input with sizes <paramref name="input"/>, as
    /// <see cref="KerasPadding.Pads"/> computes it (a tensor's sizes are always known). With <paramref name="zeroPadded"/>
    /// (a ZeroPadding layer before the convolution, which the inference plan folds in), those pads plus the layer's own,
    /// computed for the padded sizes.
    /// </summary>
    public static (long Before, long After)[] Pads(PaddingMode mode, long[] input, long[] kernel, long[] strides, long[] dilation,
        (long Before, long After)[]? zeroPadded = null)
    {
        var padded = zeroPadded is null ? input : input.Select((n, i) => n + zeroPadded[i].Before + zeroPadded[i].After).ToArray();
        var own = KerasPadding.Pads(mode, padded, kernel, strides, dilation) ?? throw new ArgumentException("input sizes must be known", nameof(input));
        return zeroPadded is null ? own : own.Select((p, i) => (p.Before + zeroPadded[i].Before, p.After + zeroPadded[i].After)).ToArray();
    }

    /// <summary>
    /// At most how much larger (as a fraction of the output) the output of <see cref="Covering"/>'s symmetric padding may
    /// be. EfficientNet's and MobileNetV2's stride-2 depthwise convolutions on 112x112 and 56x56 maps compute 3.6% and
    /// 7.3% more outputs that way, and save copying a padded input four times the output's size.
    /// </summary>
    const double CoveringSpare = 0.125;

    /// <summary>
    /// A symmetric torch padding that runs an asymmetrically padded convolution without a padded copy of its input,
    /// and the output window to keep (start, length per spatial axis). Axis <c>i</c>'s windows start at
    /// <c>-before + s·j</c>; padding <c>p = before + s·lead</c> on both sides, the smallest such <c>p ≥ after</c>, yields
    /// the same windows after <c>lead</c> leading ones, and covers the last window's end. Null for symmetric
    /// <paramref name="pads"/>, where the window would be under <see cref="CoveringSpare"/> of the computed output, or
    /// where the computed output (<paramref name="outputChannels"/> each) is larger than the padded input
    /// (<paramref name="inputChannels"/> each): its readers then read a window with gaps, which costs them more than the
    /// copy would (EfficientNet's 3-channel stem at batch 32: 3 ms slower in all).
    /// </summary>
    public static (long[] TorchPadding, (long Start, long Length)[] Keep)? Covering((long Before, long After)[] pads, long[] input,
        long[] kernel, long[] strides, long[] dilation, long inputChannels, long outputChannels)
    {
        if (pads.All(p => p.Before == p.After)) return null;
        var padding = new long[pads.Length];
        var keep = new (long, long)[pads.Length];
        double computed = outputChannels, kept = outputChannels, padded = inputChannels;
        for (int i = 0; i < pads.Length; i++)
        {
            var (before, after) = pads[i];
            long effective = (kernel[i] - 1) * dilation[i] + 1;
            if (input[i] + before + after < effective) return null;
            long wanted = (input[i] + before + after - effective) / strides[i] + 1;
            long lead = after > before ? (after - before + strides[i] - 1) / strides[i] : 0;
            padding[i] = before + strides[i] * lead;
            keep[i] = (lead, wanted);
            computed *= (input[i] + 2 * padding[i] - effective) / strides[i] + 1;
            kept *= wanted;
            padded *= input[i] + before + after;
        }
        return computed <= kept * (1 + CoveringSpare) && computed < padded ? (padding, keep) : null;
    }

    /// <summary>The window <paramref name="keep"/> of torch-layout <paramref name="y"/>'s spatial axes, as a view.</summary>
    public static Tensor Window(Tensor y, (long Start, long Length)[] keep)
    {
        var sizes = y.Sizes();
        for (int i = 0; i < keep.Length; i++)
            if (keep[i].Start != 0 || keep[i].Length != sizes[i + 2]) y = y.narrow(i + 2, keep[i].Start, keep[i].Length);
        return y;
    }

    /// <summary>
    /// Applies <paramref name="pads"/> to torch-layout <paramref name="x"/> (<c>N, C, spatial...</c>) filled with
    /// <paramref name="value"/>. A symmetric pad is returned as the torch operator's own <c>padding</c> argument
    /// (no copy, as Keras does); an asymmetric one is applied with <c>F.pad</c> and the argument is 0.
    /// </summary>
    public static (Tensor Input, long[] TorchPadding) ForTorch(Tensor x, (long Before, long After)[] pads, double value = 0)
    {
        if (pads.All(p => p.Before == p.After)) return (x, pads.Select(p => p.Before).ToArray());
        return (Explicit(x, pads, value), new long[pads.Length]);
    }

    /// <summary>Pads torch-layout <paramref name="x"/> explicitly with <paramref name="value"/> (a no-op for zero pads).</summary>
    public static Tensor Explicit(Tensor x, (long Before, long After)[] pads, double value = 0)
    {
        if (pads.All(p => p.Before == 0 && p.After == 0)) return x;
        var flat = pads.Reverse().SelectMany(p => new[] { p.Before, p.After }).ToArray();
        return F.pad(x, flat, value: value);
    }

    /// <summary>
    /// Cuts <paramref name="crops"/> (before, after) cells off each spatial axis of torch-layout <paramref name="y"/>
    /// as a view, and appends zeros where a crop is negative.
    /// </summary>
    public static Tensor Crop(Tensor y, (long Before, long After)[] crops)
    {
        for (int i = 0; i < crops.Length; i++)
        {
            long cut = Math.Max(crops[i].Before, 0) + Math.Max(crops[i].After, 0);
            if (cut > 0) y = y.narrow(i + 2, Math.Max(crops[i].Before, 0), y.Sizes()[i + 2] - cut);
        }
        return Explicit(y, crops.Select(c => (Math.Max(-c.Before, 0), Math.Max(-c.After, 0))).ToArray());
    }
}
