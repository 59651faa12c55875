using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.AdvancedActivations;
using KerasPort.Runtime.Layers.Attention;
using KerasPort.Runtime.Layers.Convolution;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.Merging;
using KerasPort.Runtime.Layers.Normalization;
using KerasPort.Runtime.Layers.Ops;
using KerasPort.Runtime.Layers.Pooling;
using KerasPort.Runtime.Layers.Preprocessing;
using KerasPort.Runtime.Layers.Recurrent;
using KerasPort.Runtime.Layers.Regularization;
using KerasPort.Runtime.Layers.Reshaping;

namespace KerasPort.Runtime;

/// <summary>The built-in table from Keras class name to layer factory, grouped by Keras's layer families.</summary>
internal static class BuiltInLayers
{
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
            // activation layers (keras/src/layers/activations, Keras 2's advanced_activations); ReLU is added below
            ["LeakyReLU"] = c => new LeakyReLU(c),
            ["ELU"] = c => new ELU(c),
            ["PReLU"] = c => new PReLU(c),
            ["Softmax"] = c => new Softmax(c),
            // normalization
            ["BatchNormalization"] = c => new BatchNormalization(c),
            ["LayerNormalization"] = c => new LayerNormalization(c),
            ["GroupNormalization"] = c => new GroupNormalization(c),
            ["UnitNormalization"] = c => new UnitNormalization(c),
            ["RMSNormalization"] = c => new RMSNormalization(c),
            ["SpectralNormalization"] = c => new SpectralNormalization(c),
            // merging (the elementwise ones are added below)
            ["Concatenate"] = c => new Concatenate(c),
            ["Dot"] = c => new Dot(c),
            // reshaping
            ["Flatten"] = c => new Flatten(c),
            ["Reshape"] = c => new Reshape(c),
            ["Permute"] = c => new Permute(c),
            ["RepeatVector"] = c => new RepeatVector(c),
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
            // recurrent
            ["SimpleRNN"] = c => new SimpleRNN(c),
            ["RNN"] = c => new RNN(c),
            ["LSTMCell"] = c => new LSTMCell(c),
            ["GRUCell"] = c => new GRUCell(c),
            ["SimpleRNNCell"] = c => new SimpleRNNCell(c),
            ["StackedRNNCells"] = c => new StackedRNNCells(c),
            ["Bidirectional"] = c => new Bidirectional(c),
            ["TimeDistributed"] = c => new TimeDistributed(c),
        };
        foreach (var name in GroupedQueryAttention.ClassNames) table[name] = c => new GroupedQueryAttention(c);
        foreach (var name in Identity.ClassNames) table[name] = c => new Identity(c);
        foreach (var name in ForeignCodeLayer.ClassNames) table[name] = ForeignCodeLayer.Refuse;
        foreach (var name in RandomAugmentation.ClassNames) table[name] = c => new RandomAugmentation(c);
        // regularization (keras/src/layers/regularization): identity at inference, random in training
        foreach (var name in Dropout.ClassNames) table[name] = c => new Dropout(c);
        table["GaussianNoise"] = c => new GaussianNoise(c);
        table["GaussianDropout"] = c => new GaussianDropout(c);
        table["AlphaDropout"] = c => new AlphaDropout(c);
        foreach (var name in ReLU.ClassNames) table[name] = c => new ReLU(c);
        foreach (var name in Merge.ClassNames) table[name] = c => new Merge(c);
        foreach (var name in ZeroPadding.ClassNames) table[name] = c => new ZeroPadding(c);
        foreach (var name in Cropping.ClassNames) table[name] = c => new Cropping(c);
        foreach (var name in UpSampling.ClassNames) table[name] = c => new UpSampling(c);
        // convolution
        foreach (var name in Conv.ClassNames) table[name] = c => new Conv(c);
        foreach (var name in ConvTranspose.ClassNames) table[name] = c => new ConvTranspose(c);
        foreach (var name in DepthwiseConv.ClassNames) table[name] = c => new DepthwiseConv(c);
        foreach (var name in SeparableConv.ClassNames) table[name] = c => new SeparableConv(c);
        // pooling
        foreach (var name in GlobalPooling.ClassNames) table[name] = c => new GlobalPooling(c);
        foreach (var name in WindowPooling.ClassNames) table[name] = c => new WindowPooling(c);
        foreach (var name in AdaptivePooling.ClassNames) table[name] = c => new AdaptivePooling(c);
        // keras.ops nodes in Keras 3 functional configs
        foreach (var name in KerasOp.ClassNames) table[LayerContext.OpPrefix + name] = c => new KerasOp(c);
        // recurrent
        foreach (var name in LSTM.ClassNames) table[name] = c => new LSTM(c);
        foreach (var name in GRU.ClassNames) table[name] = c => new GRU(c);
        foreach (var name in ConvLSTM.ClassNames) table[name] = c => new ConvLSTM(c);
        return table;
    }
}
