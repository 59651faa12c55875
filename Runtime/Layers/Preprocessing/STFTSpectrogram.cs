using KerasPort.Runtime.Layers.Convolution;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras 3 <c>STFTSpectrogram</c> (keras/src/layers/preprocessing/stft_spectrogram.py): each channel of a
/// <c>(batch, time, channels)</c> signal is convolved with the layer's <c>real_kernel</c> and <c>imag_kernel</c>
/// (<c>[frame_length, 1, fft_length / 2 + 1]</c>, the windowed DFT basis its STFT initializer wrote, read from the file),
/// with stride <c>frame_step</c> and TensorFlow-style 'valid' or 'same' padding. Modes: <c>real</c>, <c>imag</c>,
/// <c>angle</c>, <c>stft</c> (real then imag bins), <c>psd</c> (power with the inner bins doubled), <c>magnitude</c>
/// (<c>sqrt(max(power, 1e-7))</c>) and <c>log</c> of that (at least 1e-7). The output is <c>(batch, frames, channels ×
/// bins)</c>, or <c>(batch, frames, bins, channels)</c> with <c>expand_dims</c> (channels_first: channels before frames).
/// </summary>
public sealed class STFTSpectrogram : KerasLayer
{
    const double Epsilon = 1e-7; // backend.epsilon()

    readonly STFTSpectrogramSpec spec;
    readonly Tensor? realKernel;
    readonly Tensor? imagKernel;

    /// <summary>Builds the layer.</summary>
    public STFTSpectrogram(LayerContext context, STFTSpectrogramSpec spec) : base(context)
    {
        this.spec = spec;
        context.ExpectWeightCount(spec.WeightRoles.Count);
        long bins = spec.Bins;
        // Keras's kernels are [frame_length, 1, bins]; torch's conv1d takes [bins, 1, frame_length].
        Tensor Kernel(int index, string role) => Own(context.Weight(index, role, spec.FrameLength, 1, bins).permute(2, 1, 0).contiguous());
        if (spec.Mode != "imag") realKernel = Kernel(0, "real_kernel");
        if (spec.Mode != "real") imagKernel = Kernel(spec.Mode == "imag" ? 0 : 1, "imag_kernel");
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var input = arguments.Input.to_type(ScalarType.Float32);
        if (!spec.ChannelsFirst) input = input.transpose(1, 2);
        long batch = input.Sizes()[0], channels = input.Sizes()[1], time = input.Sizes()[2];
        var signals = input.reshape(batch * channels, 1, time);
        var pads = ConvPadding.Pads(spec.Padding, [time], [spec.FrameLength], [spec.FrameStep], [1]);
        var (padded, torchPadding) = ConvPadding.ForTorch(signals, pads);
        Tensor Apply(Tensor kernel)
        {
            var y = TorchOps.Conv(padded, kernel, null, [spec.FrameStep], torchPadding, [1], 1);
            return y.reshape(batch, channels, y.Sizes()[1], y.Sizes()[2]);
        }
        var result = spec.Mode switch
        {
            "real" => Apply(realKernel!),
            "imag" => Apply(imagKernel!),
            _ => Combine(Apply(realKernel!), Apply(imagKernel!)),
        };
        return [Arrange(result).MoveToOuterDisposeScope()];
    }

    /// <summary>The modes that combine the real and imaginary parts, on <c>(batch, channels, bins, frames)</c>.</summary>
    Tensor Combine(Tensor real, Tensor imag)
    {
        if (spec.Mode == "angle") return atan2(imag, real);
        if (spec.Mode == "stft") return cat([real, imag], 2);
        var power = real.Squared().Plus(imag.Squared());
        if (spec.Mode == "psd")
        {
            long bins = power.Sizes()[2];
            // Keras adds the inner bins to themselves (power + pad(power[:, :, 1:-1])): x + x is exactly 2x.
            return bins > 2 ? cat([power.narrow(2, 0, 1), power.narrow(2, 1, bins - 2).mul(Of(2.0)), power.narrow(2, bins - 1, 1)], 2) : power;
        }
        var magnitude = power.clamp_min(Of(Epsilon)).sqrt();
        return spec.Mode == "magnitude" ? magnitude : magnitude.clamp_min(Of(Epsilon)).log();
    }

    /// <summary>Keras's <c>_adjust_shapes</c>: <c>(batch, channels, bins, frames)</c> to the output layout.</summary>
    Tensor Arrange(Tensor x)
    {
        long batch = x.Sizes()[0], frames = x.Sizes()[3];
        if (spec.ExpandDims) return spec.ChannelsFirst ? x.permute(0, 1, 3, 2) : x.permute(0, 3, 2, 1);
        var flat = x.reshape(batch, -1, frames);
        return spec.ChannelsFirst ? flat : flat.transpose(1, 2);
    }
}
