using TorchSharp;

namespace KerasPort.Runtime.Layers.Preprocessing;

/// <summary>
/// Keras 3 <c>MelSpectrogram</c> (keras/src/layers/preprocessing/mel_spectrogram.py): the magnitude of a centred STFT
/// (keras/src/backend/torch/math.py <c>stft</c>: torch.stft with reflect padding and a periodic hann or hamming window of
/// <c>sequence_length</c>) raised to <c>mag_exp</c>, mapped onto <c>num_mel_bins</c> HTK mel triangles between
/// <c>min_freq</c> and <c>max_freq</c>, with <c>power_to_db</c> converted to decibels floored at the largest value of
/// the whole batch minus <c>top_db</c>; the output is <c>(batch, mel bins, frames)</c>.
/// </summary>
public sealed class MelSpectrogram : KerasLayer
{
    const double MelBreakHertz = 700.0, MelHighFrequencyQ = 1127.0;

    readonly MelSpectrogramSpec spec;
    readonly Tensor window;
    readonly Tensor melMatrix;

    /// <summary>Builds the layer.</summary>
    public MelSpectrogram(LayerContext context, MelSpectrogramSpec spec) : base(context)
    {
        this.spec = spec;
        window = Own(spec.Window switch
        {
            "hann" => hann_window(spec.SequenceLength, periodic: true, device: context.Device),
            "hamming" => hamming_window(spec.SequenceLength, periodic: true, device: context.Device),
            _ => ones(spec.SequenceLength, device: context.Device),
        });
        melMatrix = Own(MelMatrix(spec.NumMelBins, spec.FftLength / 2 + 1, spec.SamplingRate, spec.MinFreq, spec.MaxFreq, context.Device));
    }

    /// <summary>
    /// Keras's <c>linear_to_mel_weight_matrix</c> in float32: <c>[spectrogram bins, mel bins]</c> triangles with peak 1
    /// on the HTK mel scale (<c>1127 ln(1 + f / 700)</c>), the DC bin zeroed.
    /// </summary>
    static Tensor MelMatrix(long melBins, long spectrogramBins, double samplingRate, double lowHertz, double highHertz, Device device)
    {
        using var scope = NewDisposeScope();
        static Tensor ToMel(Tensor hertz) => hertz.div(Of(MelBreakHertz)).log1p().mul(Of(MelHighFrequencyQ));
        var linear = linspace(0.0, samplingRate / 2.0, spectrogramBins, ScalarType.Float32, device).narrow(0, 1, spectrogramBins - 1);
        var binsMel = ToMel(linear).unsqueeze(1);
        var edgeLimits = ToMel(tensor(new[] { (float)lowHertz, (float)highHertz }, device: device));
        var edges = linspace(edgeLimits[0].item<float>(), edgeLimits[1].item<float>(), melBins + 2, ScalarType.Float32, device);
        var lower = edges.narrow(0, 0, melBins).unsqueeze(0);
        var center = edges.narrow(0, 1, melBins).unsqueeze(0);
        var upper = edges.narrow(0, 2, melBins).unsqueeze(0);
        var lowerSlopes = binsMel.sub(lower).div(center.sub(lower));
        var upperSlopes = upper.sub(binsMel).div(upper.sub(center));
        var weights = minimum(lowerSlopes, upperSlopes).clamp_min(Of(0.0));
        return nn.functional.pad(weights, [0, 0, 1, 0]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor[] Call(CallArguments arguments)
    {
        using var scope = NewDisposeScope();
        var input = arguments.Input.to_type(ScalarType.Float32);
        var batchShape = input.Sizes()[..^1];
        var signals = input.reshape(-1, input.Sizes()[^1]);
        var spectrum = signals.stft(spec.FftLength, spec.SequenceStride, spec.SequenceLength, window, center: true, pad_mode: PaddingModes.Reflect,
            return_complex: true);
        var real = view_as_real(spectrum);
        // (signals, bins, frames) -> (signals, frames, bins), as Keras's stft returns it
        var magnitude = real.Squared().sum(-1).sqrt().pow(Of(spec.MagExp)).transpose(1, 2);
        var mel = magnitude.MatmulChecked(melMatrix);
        if (spec.PowerToDb) mel = DecibelScale(mel);
        return [mel.transpose(1, 2).reshape([.. batchShape, mel.Sizes()[2], mel.Sizes()[1]]).MoveToOuterDisposeScope()];
    }

    /// <summary>Keras's <c>_dbscale</c>: the floor is the largest value of the whole tensor (every sample) minus <c>top_db</c>.</summary>
    Tensor DecibelScale(Tensor power)
    {
        var db = power.clamp_min(Of(spec.MinPower)).log10().mul(Of(10.0)).Minus(10.0 * Math.Log10(Math.Max(Math.Abs(spec.RefPower), spec.MinPower)));
        return db.maximum(db.max().Minus(spec.TopDb));
    }
}
