namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>SpectralNormalization at inference as its wrapped layer's lowering (reference semantics: Runtime/Layers/Normalization/SpectralNormalization.cs).</summary>
internal static class SpectralNormalizationLowering
{
    /// <summary>
    /// SpectralNormalization at inference calls the wrapped layer with its stored kernel (Keras renormalizes only when
    /// training); <see cref="NestedLayerDescriptions.SpectralNormalized"/> tells its weights from <c>vector_u</c>.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall c)
    {
        var (inner, _) = NestedLayerDescriptions.SpectralNormalized(c);
        var call = c.Inner(inner, c.Args, c.Kwargs, c.Mask);
        return OnnxModelWriter.Lowering(call)(call);
    }
}
