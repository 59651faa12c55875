namespace KerasPort.Converters.Keras;

/// <summary>The <c>padding</c> argument of Keras's convolution and pooling layers.</summary>
public enum PaddingMode
{
    /// <summary>No padding.</summary>
    Valid,

    /// <summary>TensorFlow 'same': the output has <c>ceil(in / stride)</c> positions; an odd pad goes at the end.</summary>
    Same,

    /// <summary>1D only: pad <c>dilation * (kernel - 1)</c> at the start, so no output sees the future.</summary>
    Causal,
}

/// <summary>
/// The padding arithmetic of Keras's convolution and pooling layers, in one place for the runtime
/// (Runtime/Layers/Convolution/ConvPadding.cs applies it to tensors) and the file writers (the ONNX lowerings write it
/// as pads): TensorFlow-style 'same' and 'causal' pads, and the output window of transposed convolutions.
/// </summary>
internal static class KerasPadding
{
    /// <summary>Parses a config <c>padding</c> value of layer <paramref name="layer"/>.</summary>
    public static PaddingMode Parse(string? padding, string layer) => padding?.ToLowerInvariant() switch
    {
        null or "valid" => PaddingMode.Valid,
        "same" => PaddingMode.Same,
        "causal" => PaddingMode.Causal,
        _ => throw new FormatException($"layer '{layer}': unknown padding '{padding}'"),
    };

    /// <summary>
    /// The (before, after) pad of each spatial axis of an input with sizes <paramref name="input"/> (-1: unknown).
    /// 'same' mirrors keras/src/backend/torch/nn.py <c>_compute_padding_length</c> (TensorFlow's rule):
    /// <c>total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0)</c>, <c>before = total / 2</c>, the
    /// extra cell at the end; with stride 1 it is <c>(k - 1) * d</c> whatever the input size. 'causal' mirrors
    /// keras/src/layers/convolution/base_conv.py: <c>(d * (k - 1), 0)</c>. Pooling passes a dilation of 1.
    /// Null when a size the rule needs is unknown (strided 'same' on an axis of unknown size).
    /// </summary>
    public static (long Before, long After)[]? Pads(PaddingMode mode, long[] input, long[] kernel, long[] strides, long[] dilation)
    {
        var pads = new (long, long)[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            long effective = (kernel[i] - 1) * dilation[i] + 1;
            if (mode == PaddingMode.Same && input[i] < 0 && strides[i] != 1) return null;
            long total = mode == PaddingMode.Same
                ? Math.Max(strides[i] == 1 ? effective - 1 : (CeilDiv(input[i], strides[i]) - 1) * strides[i] + effective - input[i], 0)
                : 0;
            pads[i] = mode switch
            {
                PaddingMode.Same => (total / 2, total - total / 2),
                PaddingMode.Causal => (effective - 1, 0),
                _ => (0, 0),
            };
        }
        return pads;
    }

    /// <summary>
    /// How to cut a Keras transposed convolution's output out of the full one (no padding, no output padding:
    /// <c>(in - 1) * s + k_eff</c> cells per axis). Mirrors keras/src/backend/common/backend_utils.py
    /// <c>compute_conv_transpose_output_crops_for_torch</c> with <c>_convert_conv_transpose_padding_args_from_keras_to_jax</c>,
    /// which the Keras that wrote the golden files uses (the older <c>compute_conv_transpose_padding_args_for_torch</c>
    /// puts the odd cell of 'same' at the other end and fails them): 'valid' keeps
    /// <c>(in - 1) * s + k_eff + output_padding</c> cells (<c>output_padding</c> defaults to <c>max(k_eff, s) - k_eff</c>),
    /// 'same' keeps <c>in * s</c> (or <c>(in - 1) * s + k_eff % 2 + output_padding</c>), the odd crop at the end.
    /// The symmetric part of the crops is returned as the convolution's own (symmetric) padding; the rest is
    /// (before, after) cells to cut, negative for zeros to append.
    /// </summary>
    public static (long[] SymmetricPadding, (long Before, long After)[] Crops) Transposed(PaddingMode mode, long[] kernel, long[] strides, long[] dilation, long[]? outputPadding)
    {
        if (mode == PaddingMode.Causal) throw new FormatException("transposed convolutions do not support padding='causal'");
        var symmetric = new long[kernel.Length];
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
            symmetric[i] = Math.Max(Math.Min(cropBefore, cropAfter), 0);
            crops[i] = (cropBefore - symmetric[i], cropAfter - symmetric[i]);
        }
        return (symmetric, crops);
    }

    static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
