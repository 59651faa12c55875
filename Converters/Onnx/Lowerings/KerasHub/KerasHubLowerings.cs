using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// keras_hub's layers as ONNX nodes (reference semantics: Runtime/Layers/KerasHub). The composite layers lower by
/// composing the lowerings of the sublayers the runtime builds (<see cref="HubSublayerDescriptions"/>,
/// <see cref="MobileNetSublayers"/>, <see cref="ViTSublayers"/>); dropout is the identity at inference and is left out.
/// Key/value caches (generation) do not export.
/// </summary>
internal static class KerasHubLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<DepthwiseConvBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.DepthwiseConvBlock(c, s), s.Residual));
        OnnxLowerings.Add<InvertedResidualBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.InvertedResidualBlock(c, s), s.Residual));
        OnnxLowerings.Add<ConvBnActBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.ConvBnActBlock(c, s), residual: false));
        OnnxLowerings.Add<SqueezeAndExcite2DSpec>(table, SqueezeAndExcite2DLowering.Lower);
        OnnxLowerings.Add<ViTPatchingAndEmbeddingSpec>(table, ViTPatchingAndEmbeddingLowering.Lower);
        OnnxLowerings.Add<ViTEncoderBlockSpec>(table, ViTEncoderBlockLowering.Lower);
        OnnxLowerings.Add<ViTEncoderSpec>(table, ViTEncoderLowering.Lower);
        OnnxLowerings.Add<PositionEmbeddingSpec>(table, PositionEmbeddingLowering.Lower);
        OnnxLowerings.Add<CachedMultiHeadAttentionSpec>(table, CachedMultiHeadAttentionLowering.Lower);
        OnnxLowerings.Add<TransformerDecoderSpec>(table, TransformerDecoderLowering.Lower);
        OnnxLowerings.Add<TransformerEncoderSpec>(table, TransformerEncoderLowering.Lower);
    }
}
