using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.Convolution;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.Ops;
using KerasPort.Runtime.Layers.Pooling;
using KerasPort.Runtime.Layers.Preprocessing;
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
            ["Lambda"] = Lambda.Refuse,
            // reshaping
            ["Flatten"] = c => new Flatten(c),
            ["Reshape"] = c => new Reshape(c),
            ["Permute"] = c => new Permute(c),
            ["RepeatVector"] = c => new RepeatVector(c),
            // preprocessing
            ["Rescaling"] = c => new Rescaling(c),
            ["Normalization"] = c => new Normalization(c),
            ["CategoryEncoding"] = c => new CategoryEncoding(c),
        };
        foreach (var name in Identity.ClassNames) table[name] = c => new Identity(c);
        // TensorFlow ops recorded as data by tf.keras
        table["TFOpLambda"] = c => new TFOpLambda(c);
        table["TensorFlowOpLayer"] = c => new TensorFlowOpLayer(c);
        // keras.ops nodes in Keras 3 functional configs
        foreach (var name in KerasOp.ClassNames) table[LayerContext.OpPrefix + name] = c => new KerasOp(c);
        // convolution
        foreach (var name in Conv.ClassNames) table[name] = c => new Conv(c);
        foreach (var name in ConvTranspose.ClassNames) table[name] = c => new ConvTranspose(c);
        foreach (var name in DepthwiseConv.ClassNames) table[name] = c => new DepthwiseConv(c);
        foreach (var name in SeparableConv.ClassNames) table[name] = c => new SeparableConv(c);
        // pooling
        foreach (var name in GlobalPooling.ClassNames) table[name] = c => new GlobalPooling(c);
        foreach (var name in WindowPooling.ClassNames) table[name] = c => new WindowPooling(c);
        foreach (var name in AdaptivePooling.ClassNames) table[name] = c => new AdaptivePooling(c);
        return table;
    }
}
