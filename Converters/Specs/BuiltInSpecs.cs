namespace KerasPort.Specs;

/// <summary>Every built-in spec type, by Keras family.</summary>
internal static class BuiltInSpecs
{
    /// <summary>Adds every built-in spec to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, Func<LayerReader, LayerSpec>> table)
    {
        // core
        LayerSpecs.Add<InputLayerSpec>(table);
        LayerSpecs.Add<DenseSpec>(table);
        LayerSpecs.Add<EinsumDenseSpec>(table);
        LayerSpecs.Add<EmbeddingSpec>(table);
        LayerSpecs.Add<ReversibleEmbeddingSpec>(table);
        LayerSpecs.Add<ActivationSpec>(table);
        LayerSpecs.Add<MaskingSpec>(table);
        LayerSpecs.Add<IdentitySpec>(table);
        LayerSpecs.Add<ActivityRegularizationSpec>(table);
        LayerSpecs.Add<LambdaSpec>(table);
        LayerSpecs.Add<ForeignCodeSpec>(table);
        // activation layers
        LayerSpecs.Add<LeakyReLUSpec>(table);
        LayerSpecs.Add<ELUSpec>(table);
        LayerSpecs.Add<PReLUSpec>(table);
        LayerSpecs.Add<ReLUSpec>(table);
        LayerSpecs.Add<SoftmaxSpec>(table);
        // convolution
        LayerSpecs.Add<ConvSpec>(table);
        LayerSpecs.Add<ConvTransposeSpec>(table);
        LayerSpecs.Add<DepthwiseConvSpec>(table);
        LayerSpecs.Add<SeparableConvSpec>(table);
        // normalization
        LayerSpecs.Add<BatchNormalizationSpec>(table);
        LayerSpecs.Add<LayerNormalizationSpec>(table);
        LayerSpecs.Add<GroupNormalizationSpec>(table);
        LayerSpecs.Add<UnitNormalizationSpec>(table);
        LayerSpecs.Add<RMSNormalizationSpec>(table);
        LayerSpecs.Add<SpectralNormalizationSpec>(table);
        // pooling
        LayerSpecs.Add<PoolingSpec>(table);
        LayerSpecs.Add<GlobalPoolingSpec>(table);
        LayerSpecs.Add<AdaptivePoolingSpec>(table);
        // merging
        LayerSpecs.Add<MergeSpec>(table);
        LayerSpecs.Add<ConcatenateSpec>(table);
        LayerSpecs.Add<DotSpec>(table);
        // recurrent
        LayerSpecs.Add<LSTMSpec>(table);
        LayerSpecs.Add<GRUSpec>(table);
        LayerSpecs.Add<SimpleRNNSpec>(table);
        LayerSpecs.Add<ConvLSTMSpec>(table);
        LayerSpecs.Add<RNNSpec>(table);
        LayerSpecs.Add<LSTMCellSpec>(table);
        LayerSpecs.Add<GRUCellSpec>(table);
        LayerSpecs.Add<SimpleRNNCellSpec>(table);
        LayerSpecs.Add<StackedRNNCellsSpec>(table);
        LayerSpecs.Add<BidirectionalSpec>(table);
        LayerSpecs.Add<TimeDistributedSpec>(table);
        // reshaping
        LayerSpecs.Add<FlattenSpec>(table);
        LayerSpecs.Add<ReshapeSpec>(table);
        LayerSpecs.Add<PermuteSpec>(table);
        LayerSpecs.Add<RepeatVectorSpec>(table);
        LayerSpecs.Add<ZeroPaddingSpec>(table);
        LayerSpecs.Add<CroppingSpec>(table);
        LayerSpecs.Add<UpSamplingSpec>(table);
        // keras_hub layers
        LayerSpecs.Add<RotaryEmbeddingSpec>(table);
        LayerSpecs.Add<LlamaRotaryEmbeddingSpec>(table);
        LayerSpecs.Add<RmsLayerNormSpec>(table);
        LayerSpecs.Add<CausalAttentionSpec>(table);
        LayerSpecs.Add<GatedDecoderSpec>(table);
        // keras_hub ViT (keras_hub/src/models/vit)
        LayerSpecs.Add<ViTPatchingAndEmbeddingSpec>(table);
        LayerSpecs.Add<ViTEncoderBlockSpec>(table);
        LayerSpecs.Add<ViTEncoderSpec>(table);
        // keras_hub MobileNet (keras_hub/src/models/mobilenet)
        LayerSpecs.Add<SqueezeAndExcite2DSpec>(table);
        LayerSpecs.Add<DepthwiseConvBlockSpec>(table);
        LayerSpecs.Add<InvertedResidualBlockSpec>(table);
        LayerSpecs.Add<ConvBnActBlockSpec>(table);
        // keras_hub T5 (keras_hub/src/models/t5)
        LayerSpecs.Add<T5LayerNormSpec>(table);
        LayerSpecs.Add<T5MultiHeadAttentionSpec>(table);
        LayerSpecs.Add<T5TransformerLayerSpec>(table);
        // regularization
        LayerSpecs.Add<DropoutSpec>(table);
        LayerSpecs.Add<AlphaDropoutSpec>(table);
        LayerSpecs.Add<GaussianDropoutSpec>(table);
        LayerSpecs.Add<GaussianNoiseSpec>(table);
        // attention
        LayerSpecs.Add<MultiHeadAttentionSpec>(table);
        LayerSpecs.Add<GroupedQueryAttentionSpec>(table);
        LayerSpecs.Add<AttentionSpec>(table);
        LayerSpecs.Add<AdditiveAttentionSpec>(table);
        // preprocessing
        LayerSpecs.Add<RescalingSpec>(table);
        LayerSpecs.Add<NormalizationSpec>(table);
        LayerSpecs.Add<CategoryEncodingSpec>(table);
        LayerSpecs.Add<DiscretizationSpec>(table);
        LayerSpecs.Add<ResizingSpec>(table);
        LayerSpecs.Add<CenterCropSpec>(table);
        LayerSpecs.Add<AutoContrastSpec>(table);
        LayerSpecs.Add<ContrastLimitedAdaptiveHistogramEqualizationSpec>(table);
        LayerSpecs.Add<ImageAugmentationSpec>(table);
        LayerSpecs.Add<STFTSpectrogramSpec>(table);
        LayerSpecs.Add<MelSpectrogramSpec>(table);
        LayerSpecs.Add<StringLookupSpec>(table);
        LayerSpecs.Add<IntegerLookupSpec>(table);
        LayerSpecs.Add<TextVectorizationSpec>(table);
        LayerSpecs.Add<HashingSpec>(table);
        LayerSpecs.Add<HashedCrossingSpec>(table);
        LayerSpecs.Add<PipelineSpec>(table);
        // KerasHub
        LayerSpecs.Add<GemmaRMSNormalizationSpec>(table);
        LayerSpecs.Add<GemmaDecoderBlockSpec>(table);
        // keras_hub layers
        LayerSpecs.Add<PositionEmbeddingSpec>(table);
        LayerSpecs.Add<CachedMultiHeadAttentionSpec>(table);
        LayerSpecs.Add<TransformerDecoderSpec>(table);
        LayerSpecs.Add<TransformerEncoderSpec>(table);
        LayerSpecs.Add<TokenAndPositionEmbeddingSpec>(table);
        LayerSpecs.Add<PadderSpec>(table);
        // keras.ops nodes in Keras 3 functional configs (keras/src/ops), under "ops." + class
        LayerSpecs.Add<UnaryOpSpec>(table);
        LayerSpecs.Add<BinaryOpSpec>(table);
        LayerSpecs.Add<ReductionOpSpec>(table);
        LayerSpecs.Add<ReshapeOpSpec>(table);
        LayerSpecs.Add<TransposeOpSpec>(table);
        LayerSpecs.Add<ExpandDimsOpSpec>(table);
        LayerSpecs.Add<SqueezeOpSpec>(table);
        LayerSpecs.Add<JoinOpSpec>(table);
        LayerSpecs.Add<GetItemOpSpec>(table);
        LayerSpecs.Add<CastOpSpec>(table);
        LayerSpecs.Add<ClipOpSpec>(table);
        LayerSpecs.Add<SoftmaxOpSpec>(table);
        LayerSpecs.Add<GeluOpSpec>(table);
        LayerSpecs.Add<FillLikeOpSpec>(table);
        // TensorFlow ops recorded as data by tf.keras
        LayerSpecs.Add<TFOpLambdaSpec>(table);
        LayerSpecs.Add<TensorFlowOpLayerSpec>(table);
    }
}
