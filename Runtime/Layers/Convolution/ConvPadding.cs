using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Convolution;

/// <summary>The <c>padding</c> argument of Keras's convolution and pooling layers.</summary>
internal enum PaddingMode
{
    /// <summary>No padding.</summary>
    Valid,

    /// <summary>TensorFlow 'same': the output has <c>ceil(in / stride)</c> positions; an odd pad goes at the end.</summary>
    Same,

    /// <summary>1D only: pad <c>dilation * (kernel - 1)</c> at the start, so no output sees the future.</summary>
    Causal,
}

/// <summary>
/// All padding arithmetic of the convolution and pooling layers: TensorFlow-style 'same' and 'causal' pads,
/// their application to a torch-layout tensor, and the output window of transposed convolutions.
/// </summary>
internal static class ConvPadding
{
    /// <summary>Parses a config <c>padding</c> value.</summary>
    public static PaddingMode Parse(string? padding, string layer) => padding?.ToLowerInvariant() switch
    {
        null or "valid" => PaddingMode.Valid,
        "same" => PaddingMode.Same,
        "causal" => PaddingMode.Causal,
        _ => throw new FormatException($"layer '{layer}': unknown padding '{padding}'"),
    };

    /// <summary>
    /// The (before, after) pad of each spatial axis of an input with sizes <paramref name="input"/>.
    /// 'same' mirrors keras/src/backend/torch/nn.py <c>_compute_padding_length</c> (TensorFlow's rule):
    /// <c>total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0)</c>, <c>before = total / 2</c>, the
    /// extra cell at the end. 'causal' mirrors keras/src/layers/convolution/base_conv.py: <c>(d * (k - 1), 0)</c>.
    /// Pooling passes a dilation of 1.
    /// </summary>
    public static (long Before, long After)[] Pads(PaddingMode mode, long[] input, long[] kernel, long[] strides, long[] dilation)
    {
        var pads = new (long, long)[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            long effective = (kernel[i] - 1) * dilation[i] + 1;
            pads[i] = mode switch
            {
                PaddingMode.Same => Split(Math.Max((CeilDiv(input[i], strides[i]) - 1) * strides[i] + effective - input[i], 0)),
                PaddingMode.Causal => (effective - 1, 0),
                _ => (0, 0),
            };
        }
        return pads;
    }

    static (long, long) Split(long total) => (total / 2, total - total / 2);

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
    /// How to cut a Keras transposed convolution's output out of torch's full one (<c>padding=0</c>,
    /// <c>output_padding=0</c>: <c>(in - 1) * s + k_eff</c> cells per axis). Mirrors keras/src/backend/common/backend_utils.py
    /// <c>compute_conv_transpose_output_crops_for_torch</c> with <c>_convert_conv_transpose_padding_args_from_keras_to_jax</c>,
    /// which the Keras that wrote the golden files uses (the older <c>compute_conv_transpose_padding_args_for_torch</c>
    /// puts the odd cell of 'same' at the other end and fails them): 'valid' keeps
    /// <c>(in - 1) * s + k_eff + output_padding</c> cells (<c>output_padding</c> defaults to <c>max(k_eff, s) - k_eff</c>),
    /// 'same' keeps <c>in * s</c> (or <c>(in - 1) * s + k_eff % 2 + output_padding</c>), the odd crop at the end.
    /// The symmetric part of the crops is returned as torch's own <c>padding</c>; the rest is (before, after) cells to cut,
    /// negative for zeros to append.
    /// </summary>
    public static (long[] TorchPadding, (long Before, long After)[] Crops) Transposed(PaddingMode mode, long[] kernel, long[] strides, long[] dilation, long[]? outputPadding)
    {
        if (mode == PaddingMode.Causal) throw new FormatException("transposed convolutions do not support padding='causal'");
        var torchPadding = new long[kernel.Length];
        var crops = new (long, long)[kernel.Length];
        for (int i = 0; i < kernel.Length; i++)
        {
            long k = (kernel[i] - 1) * dilation[i] + 1, s = strides[i];
            long before, after;
            if (mode == PaddingMode.Valid)
            {
                before = k - 1;
                after = k - 1 + (outputPadding?[i] ?? Math.Max(k, s) - k);
            }
            else
            {
                long total = outputPadding is null ? s + k - 2 : k + k % 2 - 2 + outputPadding[i];
                before = Math.Min(total / 2 + total % 2, k - 1);
                after = total - before;
            }
            long cropBefore = k - 1 - before, cropAfter = k - 1 - after;
            torchPadding[i] = Math.Max(Math.Min(cropBefore, cropAfter), 0);
            crops[i] = (cropBefore - torchPadding[i], cropAfter - torchPadding[i]);
        }
        return (torchPadding, crops);
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
            if (cut > 0) y = y.narrow(i + 2, Math.Max(crops[i].Before, 0), y.shape[i + 2] - cut);
        }
        return Explicit(y, crops.Select(c => (Math.Max(-c.Before, 0), Math.Max(-c.After, 0))).ToArray());
    }

    static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
