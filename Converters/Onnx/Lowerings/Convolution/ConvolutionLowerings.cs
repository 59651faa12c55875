namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Keras's convolution layers as ONNX Conv/ConvTranspose (reference semantics: Runtime/Layers/Convolution). ONNX
/// convolves channels-first tensors, so a channels_last input is transposed to <c>N, C, spatial...</c> and the
/// result back; ONNX Runtime's transpose optimizer cancels the pairs between consecutive layers. Kernels are
/// rearranged once, at export, from Keras's <c>(k..., in, out)</c> to ONNX's <c>(out, in, k...)</c>
/// (<see cref="ConvolutionLayout"/>). TF 'same' padding is written as explicit, possibly asymmetric, pads
/// (<see cref="ConvolutionGeometry"/>).
/// </summary>
internal static class ConvolutionLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<ConvSpec>(table, ConvLowering.Lower);
        OnnxLowerings.Add<ConvTransposeSpec>(table, ConvTransposeLowering.Lower);
        OnnxLowerings.Add<DepthwiseConvSpec>(table, DepthwiseConvLowering.Lower);
        OnnxLowerings.Add<SeparableConvSpec>(table, SeparableConvLowering.Lower);
    }
}
