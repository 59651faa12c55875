using KerasPort.Converters.Onnx.Lowerings;
using KerasPort.KerasHub;

namespace KerasPort.Converters.Onnx;

/// <summary>
/// The table from Keras class name (<c>ops.</c> + class for raw <c>keras.ops</c> nodes) to ONNX lowering, by family: each
/// lowering is a <c>Lowerings/&lt;Family&gt;/&lt;Layer&gt;Lowering.cs</c> named after its layer, or a one-line lambda here.
/// </summary>
internal static class OnnxLowerings
{
    /// <summary>Every lowering.</summary>
    public static readonly IReadOnlyDictionary<string, OnnxLowering> Table = Build();

    static Dictionary<string, OnnxLowering> Build()
    {
        var table = new Dictionary<string, OnnxLowering>(StringComparer.Ordinal);
        // Core (Lowerings/Core/; reference semantics: Runtime/Layers/Core).
        Add<DenseSpec>(table, DenseLowering.Lower);
        Add<EinsumDenseSpec>(table, EinsumDenseLowering.Lower);
        Add<EmbeddingSpec>(table, EmbeddingLowering.Lower);
        Add<ActivationSpec>(table, (c, s) => c.Pass(c.ApplyActivation(s.Activation, c.Input)));
        Add<MaskingSpec>(table, MaskingLowering.Lower);
        Add<IdentitySpec>(table, (c, _) => c.Pass(c.Input));
        Add<ActivityRegularizationSpec>(table, (c, _) => c.Pass(c.Input));
        foreach (var name in Keras.ImageAugmentationClasses.Names) table[name] = c => c.Pass(c.Input);
        Add<ReversibleEmbeddingSpec>(table, ReversibleEmbeddingLowering.Lower);

        // AdvancedActivations (Lowerings/AdvancedActivations/; reference semantics: Runtime/Layers/AdvancedActivations).
        Add<LeakyReLUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("LeakyRelu", c.Input, Attr.Float("alpha", s.NegativeSlope))));
        Add<ELUSpec>(table, (c, s) => c.Pass(c.Graph.Unary("Elu", c.Input, Attr.Float("alpha", s.Alpha))));
        Add<PReLUSpec>(table, PReLULowering.Lower);
        Add<ReLUSpec>(table, ReLULowering.Lower);
        Add<SoftmaxSpec>(table, SoftmaxLowering.Lower);

        // Regularization, the identity at inference (Lowerings/Regularization/; reference semantics: Runtime/Layers/Regularization).
        Add<DropoutSpec>(table, (c, _) => c.Pass(c.Input));
        Add<AlphaDropoutSpec>(table, (c, _) => c.Pass(c.Input));
        Add<GaussianDropoutSpec>(table, (c, _) => c.Pass(c.Input));
        Add<GaussianNoiseSpec>(table, (c, _) => c.Pass(c.Input));

        // Convolution (Lowerings/Convolution/; reference semantics: Runtime/Layers/Convolution).
        Add<ConvSpec>(table, ConvLowering.Lower);
        Add<ConvTransposeSpec>(table, ConvTransposeLowering.Lower);
        Add<DepthwiseConvSpec>(table, DepthwiseConvLowering.Lower);
        Add<SeparableConvSpec>(table, SeparableConvLowering.Lower);

        // Pooling (Lowerings/Pooling/; reference semantics: Runtime/Layers/Pooling).
        Add<PoolingSpec>(table, WindowPoolingLowering.Lower);
        Add<GlobalPoolingSpec>(table, GlobalPoolingLowering.Lower);
        Add<AdaptivePoolingSpec>(table, AdaptivePoolingLowering.Lower);

        // Normalization (Lowerings/Normalization/; reference semantics: Runtime/Layers/Normalization).
        Add<BatchNormalizationSpec>(table, BatchNormalizationLowering.Lower);
        Add<LayerNormalizationSpec>(table, LayerNormalizationLowering.Lower);
        Add<GroupNormalizationSpec>(table, GroupNormalizationLowering.Lower);
        Add<UnitNormalizationSpec>(table, UnitNormalizationLowering.Lower);
        Add<RMSNormalizationSpec>(table, RMSNormalizationLowering.Lower);
        Add<SpectralNormalizationSpec>(table, (c, _) => SpectralNormalizationLowering.Lower(c));

        // Merging (Lowerings/Merging/; reference semantics: Runtime/Layers/Merging).
        Add<MergeSpec>(table, MergeLowering.Lower);
        Add<ConcatenateSpec>(table, (c, s) => c.Pass(c.Graph.Concat(c.Inputs, s.Axis)));
        Add<DotSpec>(table, DotLowering.Lower);

        // Reshaping (Lowerings/Reshaping/; reference semantics: Runtime/Layers/Reshaping).
        Add<FlattenSpec>(table, FlattenLowering.Lower);
        Add<ReshapeSpec>(table, (c, s) => c.Pass(c.Graph.Reshape(c.Input, [0, .. s.TargetShape])));
        Add<PermuteSpec>(table, (c, s) => c.Pass(c.Graph.Transpose(c.Input, s.Order)));
        Add<RepeatVectorSpec>(table, RepeatVectorLowering.Lower);
        Add<CroppingSpec>(table, CroppingLowering.Lower);
        Add<ZeroPaddingSpec>(table, ZeroPaddingLowering.Lower);
        Add<UpSamplingSpec>(table, UpSamplingLowering.Lower);

        // Preprocessing (Lowerings/Preprocessing/; reference semantics: Runtime/Layers/Preprocessing).
        Add<RescalingSpec>(table, RescalingLowering.Lower);
        Add<NormalizationSpec>(table, NormalizationLowering.Lower);
        Add<CategoryEncodingSpec>(table, CategoryEncodingLowering.Lower);
        Add<ResizingSpec>(table, (c, s) =>
            c.Pass(ImageResize.Resize(c, c.Input, s.Size.Height, s.Size.Width, s.Interpolation, s.ChannelsFirst, s.Antialias, s.Aspect, s.FillValue)));
        Add<CenterCropSpec>(table, CenterCropLowering.Lower);
        Add<ImageAugmentationSpec>(table, (c, _) => c.Pass(c.Input));

        // Recurrent (Lowerings/Recurrent/; reference semantics: Runtime/Layers/Recurrent).
        Add<LSTMSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        Add<GRUSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        Add<SimpleRNNSpec>(table, (c, s) => RNNLowering.OwnCell(c, s.Options));
        Add<RNNSpec>(table, RNNLowering.Lower);
        Add<BidirectionalSpec>(table, BidirectionalLowering.Lower);
        Add<TimeDistributedSpec>(table, TimeDistributedLowering.Lower);
        Add<ConvLSTMSpec>(table, ConvLSTMLowering.Lower);

        // Attention (Lowerings/Attention/; reference semantics: Runtime/Layers/Attention).
        Add<MultiHeadAttentionSpec>(table, MultiHeadAttentionLowering.Lower);
        Add<GroupedQueryAttentionSpec>(table, GroupedQueryAttentionLowering.Lower);
        Add<AttentionSpec>(table, AttentionLowering.Lower);
        Add<AdditiveAttentionSpec>(table, AdditiveAttentionLowering.Lower);

        // keras.ops nodes and TF op layers (Lowerings/OpsLowerings.cs).
        OpsLowerings.Register(table);

        // KerasHub (Lowerings/KerasHub/; reference semantics: Runtime/Layers/KerasHub).
        Add<DepthwiseConvBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.DepthwiseConvBlock(c, s), s.Residual));
        Add<InvertedResidualBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.InvertedResidualBlock(c, s), s.Residual));
        Add<ConvBnActBlockSpec>(table, (c, s) => MobileNetBlockLowering.Lower(c, MobileNetSublayers.ConvBnActBlock(c, s), residual: false));
        Add<SqueezeAndExcite2DSpec>(table, SqueezeAndExcite2DLowering.Lower);
        Add<ViTPatchingAndEmbeddingSpec>(table, ViTPatchingAndEmbeddingLowering.Lower);
        Add<ViTEncoderBlockSpec>(table, ViTEncoderBlockLowering.Lower);
        Add<ViTEncoderSpec>(table, ViTEncoderLowering.Lower);
        Add<PositionEmbeddingSpec>(table, PositionEmbeddingLowering.Lower);
        Add<CachedMultiHeadAttentionSpec>(table, CachedMultiHeadAttentionLowering.Lower);
        Add<TransformerDecoderSpec>(table, TransformerDecoderLowering.Lower);
        Add<TransformerEncoderSpec>(table, TransformerEncoderLowering.Lower);
        return table;
    }

    /// <summary>Adds <paramref name="lower"/> under every class <typeparamref name="TSpec"/> describes; the spec is read from the call's layer.</summary>
    public static void Add<TSpec>(IDictionary<string, OnnxLowering> table, Func<OnnxLayerCall, TSpec, OnnxLowered> lower) where TSpec : LayerSpec, ILayerSpec<TSpec>
    {
        foreach (var name in TSpec.ClassNames) table[name] = call => lower(call, TSpec.Read(call));
    }
}
