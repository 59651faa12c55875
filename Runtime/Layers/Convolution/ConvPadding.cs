using KerasPort.Converters.Keras;
using static TorchSharp.torch;
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
    /// <see cref="KerasPadding.Pads"/> computes it (a tensor's sizes are always known).
    /// </summary>
    public static (long Before, long After)[] Pads(PaddingMode mode, long[] input, long[] kernel, long[] strides, long[] dilation) =>
        KerasPadding.Pads(mode, input, kernel, strides, dilation) ?? throw new ArgumentException("input sizes must be known", nameof(input));

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
