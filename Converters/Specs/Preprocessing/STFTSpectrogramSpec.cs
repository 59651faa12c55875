namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras 3 <c>STFTSpectrogram</c> (keras/src/layers/preprocessing/stft_spectrogram.py): each channel convolved with
/// the layer's <c>real_kernel</c> and <c>imag_kernel</c> (the windowed DFT basis), stride <c>frame_step</c>.
/// </summary>
/// <param name="Mode"><c>log</c> (the default), <c>magnitude</c>, <c>psd</c>, <c>real</c>, <c>imag</c>, <c>angle</c> or <c>stft</c>.</param>
/// <param name="FrameLength">Samples per frame, 256 by default.</param>
/// <param name="FrameStep">Samples between frames, half a frame by default.</param>
/// <param name="FftLength">The DFT size, the next power of two of the frame length by default.</param>
/// <param name="Padding">'valid' (the default) or 'same'.</param>
/// <param name="ChannelsFirst">The config's <c>data_format</c> is channels_first.</param>
/// <param name="ExpandDims">Keep the channels as an axis of their own.</param>
public sealed record STFTSpectrogramSpec(string Mode, int FrameLength, int FrameStep, long FftLength, PaddingMode Padding, bool ChannelsFirst, bool ExpandDims)
    : LayerSpec, ILayerSpec<STFTSpectrogramSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["STFTSpectrogram"];

    /// <inheritdoc />
    public static STFTSpectrogramSpec Read(LayerReader layer)
    {
        var mode = layer.OneOf("mode", "log", "log", "magnitude", "psd", "real", "imag", "angle", "stft");
        int frameLength = layer.Int("frame_length", 256);
        return new(mode, frameLength,
            layer.Int("frame_step", 0) is > 0 and var step ? step : frameLength / 2,
            layer.Int("fft_length", 0) is > 0 and var fft ? fft : 1L << (int)Math.Ceiling(Math.Log2(frameLength)),
            KerasPadding.Parse(layer.String("padding", "valid"), layer.Name), layer.ChannelsFirst, layer.Bool("expand_dims", false));
    }

    /// <summary>The frequency bins of the DFT, <c>fft_length / 2 + 1</c>.</summary>
    public long Bins => FftLength / 2 + 1;

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles => Mode switch
    {
        "real" => [new("real_kernel")],
        "imag" => [new("imag_kernel")],
        _ => [new("real_kernel"), new("imag_kernel")],
    };
}
