using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.AdvancedActivations;
using KerasPort.Runtime.Layers.Attention;
using KerasPort.Runtime.Layers.Convolution;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.KerasHub.Modeling;
using KerasPort.Runtime.Layers.KerasHub.Whisper;
using KerasPort.Runtime.Layers.Merging;
using KerasPort.Runtime.Layers.Normalization;
using KerasPort.Runtime.Layers.Ops;
using KerasPort.Runtime.Layers.Pooling;
using KerasPort.Runtime.Layers.Preprocessing;
using KerasPort.Runtime.Layers.Recurrent;
using KerasPort.Runtime.Layers.Regularization;
using KerasPort.Runtime.Layers.Reshaping;
using KerasPort.Specs.AdvancedActivations;
using KerasPort.Specs.Convolution;
using KerasPort.Specs.KerasHub;
using KerasPort.Specs.Merging;
using KerasPort.Specs.Normalization;
using KerasPort.Specs.Pooling;
using KerasPort.Specs.Recurrent;
using KerasPort.Specs.Regularization;
using KerasPort.Specs.Reshaping;

namespace KerasPort.Runtime;

/// <summary>The built-in layer factories, grouped by Keras's layer families.</summary>
internal static class BuiltInLayers
{
    /// <summary>The layers that take a spec (Converters/Specs): the class names come from the spec types.</summary>
    public static LayerRegistry RegisterSpecced(LayerRegistry registry) => registry
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
        // regularization (keras/src/layers/regularization): identity at inference, random in training
        .Register<DropoutSpec>((c, s) => new Dropout(c, s))
        .Register<GaussianNoiseSpec>((c, s) => new GaussianNoise(c, s))
        .Register<GaussianDropoutSpec>((c, s) => new GaussianDropout(c, s))
        .Register<AlphaDropoutSpec>((c, s) => new AlphaDropout(c, s))
        // keras_hub layers (keras_hub/src/layers/modeling)
        .Register<PositionEmbeddingSpec>((c, s) => new PositionEmbedding(c, s))
        .Register<CachedMultiHeadAttentionSpec>((c, s) => new CachedMultiHeadAttention(c, s))
        .Register<TransformerDecoderSpec>((c, s) => new TransformerDecoder(c, s))
        .Register<TransformerEncoderSpec>((c, s) => new TransformerEncoder(c, s))
        .Register<TokenAndPositionEmbeddingSpec>((c, s) => new TokenAndPositionEmbedding(c, s))
        .Register<PadderSpec>((c, s) => new Padder(c, s));

    /// <summary>Transitional: the layers whose factories still read their raw config (Tests/spec-ledger.txt).</summary>
    public static Dictionary<string, LayerFactory> Table()
    {
        var table = new Dictionary<string, LayerFactory>(StringComparer.Ordinal)
        {
            // core
            ["InputLayer"] = c => new InputLayer(c),
            ["Dense"] = c => new Dense(c),
            ["EinsumDense"] = c => new EinsumDense(c),
            ["Embedding"] = c => new Embedding(c),
            ["ReversibleEmbedding"] = c => new ReversibleEmbedding(c),
            ["Activation"] = c => new Activation(c),
            ["Masking"] = c => new Masking(c),
            ["Lambda"] = Lambda.Refuse,
            // preprocessing
            ["Rescaling"] = c => new Rescaling(c),
            ["Normalization"] = c => new Normalization(c),
            ["CategoryEncoding"] = c => new CategoryEncoding(c),
            ["Resizing"] = c => new Resizing(c),
            ["CenterCrop"] = c => new CenterCrop(c),
            ["AutoContrast"] = c => new AutoContrast(c),
            ["ContrastLimitedAdaptiveHistogramEqualization"] = c => new ContrastLimitedAdaptiveHistogramEqualization(c),
            ["Discretization"] = c => new Discretization(c),
            ["Pipeline"] = c => new Pipeline(c),
            ["STFTSpectrogram"] = c => new STFTSpectrogram(c),
            ["MelSpectrogram"] = c => new MelSpectrogram(c),
            // text and lookup layers: run on the host, strings travel as StringTensors placeholders
            ["StringLookup"] = c => new StringLookup(c),
            ["IntegerLookup"] = c => new IntegerLookup(c),
            ["Hashing"] = c => new Hashing(c),
            ["HashedCrossing"] = c => new HashedCrossing(c),
            ["TextVectorization"] = c => new TextVectorization(c),
            // TensorFlow ops recorded as data by tf.keras
            ["TFOpLambda"] = c => new TFOpLambda(c),
            ["TensorFlowOpLayer"] = c => new TensorFlowOpLayer(c),
            // attention
            ["Attention"] = c => new Attention(c),
            ["AdditiveAttention"] = c => new AdditiveAttention(c),
            ["MultiHeadAttention"] = c => new MultiHeadAttention(c),
        };
        foreach (var name in GroupedQueryAttention.ClassNames) table[name] = c => new GroupedQueryAttention(c);
        foreach (var name in Identity.ClassNames) table[name] = c => new Identity(c);
        foreach (var name in ForeignCodeLayer.ClassNames) table[name] = ForeignCodeLayer.Refuse;
        foreach (var name in RandomAugmentation.ClassNames) table[name] = c => new RandomAugmentation(c);
        // keras.ops nodes in Keras 3 functional configs
        foreach (var name in KerasOp.ClassNames) table[LayerContext.OpPrefix + name] = c => new KerasOp(c);
        return table;
    }
}
