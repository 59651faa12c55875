namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras 3 <c>MelSpectrogram</c> (keras/src/layers/preprocessing/mel_spectrogram.py): a centred STFT's magnitude to
/// <c>mag_exp</c>, on <c>num_mel_bins</c> HTK mel triangles, optionally in decibels.
/// </summary>
/// <param name="FftLength">The DFT size, 2048 by default.</param>
/// <param name="SequenceStride">Samples between frames, 512 by default.</param>
/// <param name="SequenceLength">The window length, the DFT size by default and at most that.</param>
/// <param name="Window"><c>hann</c>, <c>hamming</c> or null (a rectangular window).</param>
/// <param name="SamplingRate">Samples per second, 16000 by default.</param>
/// <param name="NumMelBins">Mel bins, 128 by default.</param>
/// <param name="MinFreq">Lowest frequency in hertz, 20 by default.</param>
/// <param name="MaxFreq">Highest frequency in hertz, half the sampling rate (truncated) by default.</param>
/// <param name="MagExp">The exponent of the magnitude, 2 by default.</param>
/// <param name="PowerToDb">Convert to decibels, true by default.</param>
/// <param name="TopDb">The decibel floor below the batch's peak, 80 by default.</param>
/// <param name="MinPower">The smallest power before the logarithm, 1e-10 by default.</param>
/// <param name="RefPower">The power of 0 dB, 1 by default.</param>
public sealed record MelSpectrogramSpec(int FftLength, int SequenceStride, int SequenceLength, string? Window, double SamplingRate, int NumMelBins,
    double MinFreq, double MaxFreq, double MagExp, bool PowerToDb, double TopDb, double MinPower, double RefPower)
    : LayerSpec, ILayerSpec<MelSpectrogramSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["MelSpectrogram"];

    /// <inheritdoc />
    public static MelSpectrogramSpec Read(LayerReader layer)
    {
        int fftLength = layer.Int("fft_length", 2048);
        int sequenceLength = layer.Int("sequence_length", 0) is > 0 and var length ? length : fftLength;
        if (sequenceLength > fftLength)
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, "sequence_length is larger than fft_length");
        var window = layer.String("window");
        if (window is not (null or "hann" or "hamming"))
            throw new UnsupportedLayerException(layer.ClassName, layer.Name, $"window '{window}' is not supported");
        double samplingRate = layer.Double("sampling_rate", 16000);
        return new(fftLength, layer.Int("sequence_stride", 512), sequenceLength, window, samplingRate, layer.Int("num_mel_bins", 128),
            layer.Double("min_freq", 20.0), layer.Double("max_freq", 0) is > 0 and var max ? max : (int)(samplingRate / 2),
            layer.Double("mag_exp", 2.0), layer.Bool("power_to_db", true), layer.Double("top_db", 80.0), layer.Double("min_power", 1e-10),
            layer.Double("ref_power", 1.0));
    }
}
