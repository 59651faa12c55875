using KerasPort.Runtime.Layers.Convolution;
using F = TorchSharp.torch.nn.functional;

namespace KerasPort.Runtime.Layers.Recurrent;

/// <summary>
/// The cell of Keras <c>ConvLSTM1D/2D/3D</c> (keras/src/layers/rnn/conv_lstm.py <c>ConvLSTMCell</c>): an LSTM
/// whose input and recurrent products are convolutions. The input convolution uses the config's strides,
/// dilation and padding; the recurrent one stride 1 and <c>same</c> padding. Kernels are
/// <c>(kernel..., in, 4·filters)</c>, gates i, f, c, o.
/// </summary>
public sealed class ConvLSTMCell : RecurrentCell
{
    readonly int rank;
    readonly long filters;
    readonly bool channelsFirst;
    readonly bool samePadding;
    readonly long[] strides;
    readonly long[] dilation;
    readonly Tensor kernel;
    readonly Tensor recurrentKernel;
    readonly Tensor? bias;
    readonly Func<Tensor, Tensor> activation;
    readonly Func<Tensor, Tensor> recurrentActivation;

    /// <summary>Builds the cell from a ConvLSTM1D/2D/3D spec and its weights.</summary>
    public ConvLSTMCell(LayerContext context, ConvLSTMCellSpec spec) : base(context)
    {
        var window = spec.Window;
        (rank, filters, strides, dilation, channelsFirst) = (window.Rank, spec.Filters, window.Strides, window.Dilation, window.ChannelsFirst);
        samePadding = window.Padding == PaddingMode.Same;
        var kernelSize = window.Size;
        activation = context.ActivationFunction(spec.Activation);
        recurrentActivation = context.ActivationFunction(spec.RecurrentActivation);
        bool useBias = spec.UseBias;
        context.ExpectWeightCount(useBias ? 3 : 2);
        kernel = Own(TorchLayout(context.Weight(0, "kernel", [.. kernelSize, context.InputDim(channelsFirst ? 1 : -1), 4 * filters])));
        recurrentKernel = Own(TorchLayout(context.Weight(1, "recurrent_kernel", [.. kernelSize, filters, 4 * filters])));
        bias = useBias ? Own(context.Weight(2, "bias", 4 * filters)) : null;
    }

    /// <summary>Keras kernels <c>(k..., in, out)</c> to torch's <c>(out, in, k...)</c>.</summary>
    Tensor TorchLayout(Tensor keras) => keras.permute([rank + 1, rank, .. Enumerable.Range(0, rank).Select(i => (long)i)]).contiguous();

    /// <inheritdoc />
    public override int StateCount => 2;

    /// <inheritdoc />
    public override Tensor Prepare(Tensor inputs)
    {
        var leading = inputs.Sizes()[..^(rank + 1)];
        var x = inputs.reshape([-1, .. inputs.Sizes()[^(rank + 1)..]]);
        var y = FromChannelsFirst(Convolve(ToChannelsFirst(x), kernel, bias, strides, dilation, samePadding));
        return y.reshape([.. leading, .. y.Sizes()[1..]]);
    }

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor prepared, IReadOnlyList<Tensor> states)
    {
        var ones = Enumerable.Repeat(1L, rank).ToArray();
        var recurrent = FromChannelsFirst(Convolve(ToChannelsFirst(states[0]), recurrentKernel, null, ones, ones, same: true));
        var (h, c) = LSTMCell.Gates(prepared.Plus(recurrent), states[1], channelsFirst ? 1 : -1, activation, recurrentActivation);
        return (h, [h, c]);
    }

    /// <inheritdoc />
    public override Tensor[] ZeroStates(Tensor prepared)
    {
        var shape = prepared.Sizes().ToArray();
        shape[channelsFirst ? 1 : ^1] = filters;
        var zero = zeros(shape, prepared.dtype, prepared.device);
        return [zero, zero];
    }

    Tensor ToChannelsFirst(Tensor x) => channelsFirst ? x : x.permute([0, rank + 1, .. Enumerable.Range(1, rank).Select(i => (long)i)]);

    Tensor FromChannelsFirst(Tensor x) => channelsFirst ? x : x.permute([0, .. Enumerable.Range(2, rank).Select(i => (long)i), 1]);

    /// <summary>
    /// A channels-first convolution; <c>same</c> padding is TensorFlow's asymmetric rule (<see cref="KerasPadding.Pads"/>).
    /// </summary>
    Tensor Convolve(Tensor x, Tensor weight, Tensor? b, long[] stride, long[] dilate, bool same)
    {
        if (same) x = ConvPadding.Explicit(x, ConvPadding.Pads(PaddingMode.Same, x.Sizes()[2..], weight.Sizes()[2..], stride, dilate));
        var noPadding = new long[rank];
        return rank switch
        {
            1 => F.conv1d(x, weight, b, stride[0], 0, dilate[0]),
            2 => F.conv2d(x, weight, b, stride, noPadding, dilate),
            _ => F.conv3d(x, weight, b, stride, noPadding, dilate),
        };
    }
}
