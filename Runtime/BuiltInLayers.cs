using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.AdvancedActivations;
using KerasPort.Runtime.Layers.Attention;
using KerasPort.Runtime.Layers.Convolution;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.KerasHub.Gemma;
using KerasPort.Runtime.Layers.KerasHub.Llama;
using KerasPort.Runtime.Layers.KerasHub.Mistral;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Runtime.Layers.KerasHub.Qwen;
using KerasPort.Runtime.Layers.KerasHub.MobileNet;
using KerasPort.Runtime.Layers.KerasHub.T5;
using KerasPort.Runtime.Layers.KerasHub.ViT;
using KerasPort.Runtime.Layers.KerasHub.Whisper;
using KerasPort.Runtime.Layers.Merging;
using KerasPort.Runtime.Layers.Normalization;
using KerasPort.Runtime.Layers.Ops;
using KerasPort.Runtime.Layers.Pooling;
using KerasPort.Runtime.Layers.Preprocessing;
using KerasPort.Runtime.Layers.Recurrent;
using KerasPort.Runtime.Layers.Regularization;
using KerasPort.Runtime.Layers.Reshaping;

namespace KerasPort.Runtime;

/// <summary>The built-in layer factories, grouped by Keras's layer families.</summary>
internal static class BuiltInLayers
{
    /// <summary>Every built-in layer, each built from its spec (Converters/Specs): the class names come from the spec types.</summary>
    public static LayerRegistry RegisterSpecced(LayerRegistry registry) => registry
        // core
        .Register<InputLayerSpec>((c, s) => new InputLayer(c, s))
        .Register<DenseSpec>((c, s) => new Dense(c, s))
        .Register<EinsumDenseSpec>((c, s) => new EinsumDense(c, s))
        .Register<EmbeddingSpec>((c, s) => new Embedding(c, s))
        .Register<ReversibleEmbeddingSpec>((c, s) => new ReversibleEmbedding(c, s))
        .Register<ActivationSpec>((c, s) => new Activation(c, s))
        .Register<MaskingSpec>((c, s) => new Masking(c, s))
        .Register<IdentitySpec>((c, _) => new Identity(c))
        .Register<ActivityRegularizationSpec>((c, _) => new Identity(c))
        .Register<LambdaSpec>((c, _) => Lambda.Refuse(c))
        .Register<ForeignCodeSpec>((c, _) => ForeignCodeLayer.Refuse(c))
        // activation layers (keras/src/layers/activations, Keras 2's advanced_activations)
        .Register<LeakyReLUSpec>((c, s) => new LeakyReLU(c, s))
        .Register<ELUSpec>((c, s) => new ELU(c, s))
        .Register<PReLUSpec>((c, s) => new PReLU(c, s))
        .Register<ReLUSpec>((c, s) => new ReLU(c, s))
        .Register<SoftmaxSpec>((c, s) => new Softmax(c, s))
        // convolution
        .Register<ConvSpec>((c, s) => new Conv(c, s))
        .Register<ConvTransposeSpec>((c, s) => new ConvTranspose(c, s))
        .Register<DepthwiseConvSpec>((c, s) => new DepthwiseConv(c, s))
        .Register<SeparableConvSpec>((c, s) => new SeparableConv(c, s))
        // normalization
        .Register<BatchNormalizationSpec>((c, s) => new BatchNormalization(c, s))
        .Register<LayerNormalizationSpec>((c, s) => new LayerNormalization(c, s))
        .Register<GroupNormalizationSpec>((c, s) => new GroupNormalization(c, s))
        .Register<UnitNormalizationSpec>((c, s) => new UnitNormalization(c, s))
        .Register<RMSNormalizationSpec>((c, s) => new RMSNormalization(c, s))
        .Register<SpectralNormalizationSpec>((c, s) => new SpectralNormalization(c, s))
        // pooling
        .Register<PoolingSpec>((c, s) => new WindowPooling(c, s))
        .Register<GlobalPoolingSpec>((c, s) => new GlobalPooling(c, s))
        .Register<AdaptivePoolingSpec>((c, s) => new AdaptivePooling(c, s))
        // merging
        .Register<MergeSpec>((c, s) => new Merge(c, s))
        .Register<ConcatenateSpec>((c, s) => new Concatenate(c, s))
        .Register<DotSpec>((c, s) => new Dot(c, s))
        // recurrent
        .Register<LSTMSpec>((c, s) => new LSTM(c, s))
        .Register<GRUSpec>((c, s) => new GRU(c, s))
        .Register<SimpleRNNSpec>((c, s) => new SimpleRNN(c, s))
        .Register<ConvLSTMSpec>((c, s) => new ConvLSTM(c, s))
        .Register<RNNSpec>((c, s) => new RNN(c, s))
        .Register<LSTMCellSpec>((c, s) => new LSTMCell(c, s))
        .Register<GRUCellSpec>((c, s) => new GRUCell(c, s))
        .Register<SimpleRNNCellSpec>((c, s) => new SimpleRNNCell(c, s))
        .Register<StackedRNNCellsSpec>((c, s) => new StackedRNNCells(c, s))
        .Register<BidirectionalSpec>((c, s) => new Bidirectional(c, s))
        .Register<TimeDistributedSpec>((c, s) => new TimeDistributed(c, s))
        // reshaping
        .Register<FlattenSpec>((c, s) => new Flatten(c, s))
        .Register<ReshapeSpec>((c, s) => new Reshape(c, s))
        .Register<PermuteSpec>((c, s) => new Permute(c, s))
        .Register<RepeatVectorSpec>((c, s) => new RepeatVector(c, s))
        .Register<ZeroPaddingSpec>((c, s) => new ZeroPadding(c, s))
        .Register<CroppingSpec>((c, s) => new Cropping(c, s))
        .Register<UpSamplingSpec>((c, s) => new UpSampling(c, s))
        // keras_hub layers (registered as keras_hub>Class)
        .Register<RotaryEmbeddingSpec>((c, s) => new RotaryEmbedding(c, s))
        .Register<LlamaRotaryEmbeddingSpec>((c, s) => new LlamaRotaryEmbedding(c, s))
        .Register<RmsLayerNormSpec>((c, s) => c.ClassName switch
        {
            "MistralLayerNormalization" => new MistralLayerNormalization(c, s),
            "QwenLayerNorm" => new QwenLayerNorm(c, s),
            _ => new LlamaLayerNorm(c, s),
        })
        .Register<CausalAttentionSpec>((c, s) => c.ClassName switch
        {
            CausalAttentionSpec.Mistral => new CachedMistralAttention(c, s),
            CausalAttentionSpec.Qwen => new QwenAttention(c, s),
            _ => new LlamaAttention(c, s),
        })
        .Register<GatedDecoderSpec>((c, s) => c.ClassName switch
        {
            "MistralTransformerDecoder" => new MistralTransformerDecoder(c, s),
            "QwenTransformerDecoder" => new QwenTransformerDecoder(c, s),
            _ => new LlamaTransformerDecoder(c, s),
        })
        // keras_hub ViT (registered as keras_hub>Class)
        .Register<ViTPatchingAndEmbeddingSpec>((c, s) => new ViTPatchingAndEmbedding(c, s))
        .Register<ViTEncoderBlockSpec>((c, s) => new ViTEncoderBlock(c, s))
        .Register<ViTEncoderSpec>((c, s) => new ViTEncoder(c, s))
        // keras_hub MobileNet
        .Register<SqueezeAndExcite2DSpec>((c, s) => new SqueezeAndExcite2D(c, s))
        .Register<DepthwiseConvBlockSpec>((c, s) => new DepthwiseConvBlock(c, s))
        .Register<InvertedResidualBlockSpec>((c, s) => new InvertedResidualBlock(c, s))
        .Register<ConvBnActBlockSpec>((c, s) => new ConvBnActBlock(c, s))
        // keras_hub T5
        .Register<T5LayerNormSpec>((c, s) => new T5LayerNorm(c, s))
        .Register<T5MultiHeadAttentionSpec>((c, s) => new T5MultiHeadAttention(c, s))
        .Register<T5TransformerLayerSpec>((c, s) => new T5TransformerLayer(c, s))
        // regularization (keras/src/layers/regularization): identity at inference, random in training
        .Register<DropoutSpec>((c, s) => new Dropout(c, s))
        .Register<GaussianNoiseSpec>((c, s) => new GaussianNoise(c, s))
        .Register<GaussianDropoutSpec>((c, s) => new GaussianDropout(c, s))
        .Register<AlphaDropoutSpec>((c, s) => new AlphaDropout(c, s))
        // attention
        .Register<MultiHeadAttentionSpec>((c, s) => new MultiHeadAttention(c, s))
        .Register<GroupedQueryAttentionSpec>((c, s) => new GroupedQueryAttention(c, s))
        .Register<AttentionSpec>((c, s) => new Attention(c, s))
        .Register<AdditiveAttentionSpec>((c, s) => new AdditiveAttention(c, s))
        // preprocessing (keras/src/layers/preprocessing)
        .Register<RescalingSpec>((c, s) => new Rescaling(c, s))
        .Register<NormalizationSpec>((c, s) => new Normalization(c, s))
        .Register<CategoryEncodingSpec>((c, s) => new CategoryEncoding(c, s))
        .Register<DiscretizationSpec>((c, s) => new Discretization(c, s))
        .Register<ResizingSpec>((c, s) => new Resizing(c, s))
        .Register<CenterCropSpec>((c, s) => new CenterCrop(c, s))
        .Register<AutoContrastSpec>((c, s) => new AutoContrast(c, s))
        .Register<ContrastLimitedAdaptiveHistogramEqualizationSpec>((c, s) => new ContrastLimitedAdaptiveHistogramEqualization(c, s))
        .Register<ImageAugmentationSpec>((c, s) => new RandomAugmentation(c, s))
        .Register<STFTSpectrogramSpec>((c, s) => new STFTSpectrogram(c, s))
        .Register<MelSpectrogramSpec>((c, s) => new MelSpectrogram(c, s))
        // text and lookup layers: run on the host, strings travel as StringTensors placeholders
        .Register<StringLookupSpec>((c, s) => new StringLookup(c, s))
        .Register<IntegerLookupSpec>((c, s) => new IntegerLookup(c, s))
        .Register<TextVectorizationSpec>((c, s) => new TextVectorization(c, s))
        .Register<HashingSpec>((c, s) => new Hashing(c, s))
        .Register<HashedCrossingSpec>((c, s) => new HashedCrossing(c, s))
        .Register<PipelineSpec>((c, s) => new Pipeline(c, s))
        // KerasHub (keras_hub> registry keys)
        .Register<GemmaRMSNormalizationSpec>((c, s) => new GemmaRMSNormalization(c, s))
        .Register<GemmaDecoderBlockSpec>((c, s) => new GemmaDecoderBlock(c, s))
        // keras_hub layers (keras_hub/src/layers/modeling)
        .Register<PositionEmbeddingSpec>((c, s) => new PositionEmbedding(c, s))
        .Register<CachedMultiHeadAttentionSpec>((c, s) => new CachedMultiHeadAttention(c, s))
        .Register<TransformerDecoderSpec>((c, s) => new TransformerDecoder(c, s))
        .Register<TransformerEncoderSpec>((c, s) => new TransformerEncoder(c, s))
        .Register<TokenAndPositionEmbeddingSpec>((c, s) => new TokenAndPositionEmbedding(c, s))
        .Register<PadderSpec>((c, s) => new Padder(c, s))
        // TensorFlow ops recorded as data by tf.keras
        .Register<TFOpLambdaSpec>((c, s) => new TFOpLambda(c, s))
        .Register<TensorFlowOpLayerSpec>((c, s) => new TensorFlowOpLayer(c, s))
        // keras.ops nodes in Keras 3 functional configs ("ops." + class)
        .Register<UnaryOpSpec>((c, s) => new KerasOp(c, s))
        .Register<BinaryOpSpec>((c, s) => new KerasOp(c, s))
        .Register<ReductionOpSpec>((c, s) => new KerasOp(c, s))
        .Register<ReshapeOpSpec>((c, s) => new KerasOp(c, s))
        .Register<TransposeOpSpec>((c, s) => new KerasOp(c, s))
        .Register<ExpandDimsOpSpec>((c, s) => new KerasOp(c, s))
        .Register<SqueezeOpSpec>((c, s) => new KerasOp(c, s))
        .Register<JoinOpSpec>((c, s) => new KerasOp(c, s))
        .Register<GetItemOpSpec>((c, s) => new KerasOp(c, s))
        .Register<CastOpSpec>((c, s) => new KerasOp(c, s))
        .Register<ClipOpSpec>((c, s) => new KerasOp(c, s))
        .Register<SoftmaxOpSpec>((c, s) => new KerasOp(c, s))
        .Register<GeluOpSpec>((c, s) => new KerasOp(c, s))
        .Register<FillLikeOpSpec>((c, s) => new KerasOp(c, s));
}
