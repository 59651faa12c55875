using KerasPort.Converters.Keras;
using KerasPort.Specs.AdvancedActivations;
using KerasPort.Specs.Convolution;
using KerasPort.Specs.KerasHub;
using KerasPort.Specs.Merging;
using KerasPort.Specs.Normalization;
using KerasPort.Specs.Pooling;
using KerasPort.Specs.Recurrent;
using KerasPort.Specs.Regularization;
using KerasPort.Specs.Reshaping;

namespace KerasPort.Specs;

/// <summary>Every built-in spec type, by Keras family.</summary>
internal static class BuiltInSpecs
{
    /// <summary>Adds every built-in spec to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, Func<LayerReader, LayerSpec>> table)
    {
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
        // regularization
        LayerSpecs.Add<DropoutSpec>(table);
        LayerSpecs.Add<AlphaDropoutSpec>(table);
        LayerSpecs.Add<GaussianDropoutSpec>(table);
        LayerSpecs.Add<GaussianNoiseSpec>(table);
        // keras_hub layers
        LayerSpecs.Add<PositionEmbeddingSpec>(table);
        LayerSpecs.Add<CachedMultiHeadAttentionSpec>(table);
        LayerSpecs.Add<TransformerDecoderSpec>(table);
        LayerSpecs.Add<TransformerEncoderSpec>(table);
        LayerSpecs.Add<TokenAndPositionEmbeddingSpec>(table);
        LayerSpecs.Add<PadderSpec>(table);
    }
}
