using KerasPort.Runtime.Layers;
using KerasPort.Runtime.Layers.AdvancedActivations;
using KerasPort.Runtime.Layers.Core;
using KerasPort.Runtime.Layers.Merging;
using KerasPort.Runtime.Layers.Normalization;
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
            // keras.ops nodes in Keras 3 functional configs
            [LayerContext.OpPrefix + "NotEqual"] = c => new NotEqual(c),
            [LayerContext.OpPrefix + "Any"] = c => new Any(c),
        };
        foreach (var name in Identity.ClassNames) table[name] = c => new Identity(c);
        foreach (var name in ZeroPadding.ClassNames) table[name] = c => new ZeroPadding(c);
        foreach (var name in Cropping.ClassNames) table[name] = c => new Cropping(c);
        foreach (var name in UpSampling.ClassNames) table[name] = c => new UpSampling(c);
        foreach (var name in ReLU.ClassNames) table[name] = c => new ReLU(c);
        foreach (var name in Merge.ClassNames) table[name] = c => new Merge(c);
        foreach (var name in GlobalPooling.ClassNames) table[name] = c => new GlobalPooling(c);
        return table;
    }
}
