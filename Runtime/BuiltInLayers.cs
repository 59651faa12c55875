using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.Ops;
using KerasPort.Runtime.Layers.Pooling;
using KerasPort.Runtime.Layers.Preprocessing;
using KerasPort.Runtime.Layers.Recurrent;
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
            ["Activation"] = c => new Activation(c),
            ["Masking"] = c => new Masking(c),
            // reshaping
            ["Flatten"] = c => new Flatten(c),
            ["Reshape"] = c => new Reshape(c),
            ["Permute"] = c => new Permute(c),
            ["RepeatVector"] = c => new RepeatVector(c),
            // preprocessing
            ["Rescaling"] = c => new Rescaling(c),
            ["Normalization"] = c => new Normalization(c),
            ["CategoryEncoding"] = c => new CategoryEncoding(c),
            // recurrent
            ["SimpleRNN"] = c => new SimpleRNN(c),
            ["RNN"] = c => new RNN(c),
            ["LSTMCell"] = c => new LSTMCell(c),
            ["GRUCell"] = c => new GRUCell(c),
            ["SimpleRNNCell"] = c => new SimpleRNNCell(c),
            ["StackedRNNCells"] = c => new StackedRNNCells(c),
            ["Bidirectional"] = c => new Bidirectional(c),
            ["TimeDistributed"] = c => new TimeDistributed(c),
            // keras.ops nodes in Keras 3 functional configs
            [LayerContext.OpPrefix + "NotEqual"] = c => new NotEqual(c),
            [LayerContext.OpPrefix + "Any"] = c => new Any(c),
        };
        foreach (var name in Identity.ClassNames) table[name] = c => new Identity(c);
        foreach (var name in GlobalPooling.ClassNames) table[name] = c => new GlobalPooling(c);
        foreach (var name in LSTM.ClassNames) table[name] = c => new LSTM(c);
        foreach (var name in GRU.ClassNames) table[name] = c => new GRU(c);
        foreach (var name in ConvLSTM.ClassNames) table[name] = c => new ConvLSTM(c);
        return table;
    }
}
