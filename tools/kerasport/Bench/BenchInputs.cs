using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using KerasPort.Runtime.Layers.Core;

namespace KerasPort.Cli.Bench;

/// <summary>Random model inputs in Keras layout, shaped from the model's input layers.</summary>
internal static class BenchInputs
{
    /// <summary>
    /// The concrete shape of input layer <paramref name="layer"/> for <paramref name="batch"/> samples: its declared
    /// batch shape with the batch size filled in and every other unknown dimension set to <paramref name="unknownDimension"/>.
    /// </summary>
    public static long[] Shape(InputLayer layer, int batch, int unknownDimension)
    {
        var declared = layer.BatchShape ?? throw new KerasPortException($"input '{layer.Name}' declares no shape: cannot make benchmark inputs");
        return declared.Select((d, i) => i == 0 ? batch : d < 0 ? unknownDimension : (long)d).ToArray();
    }

    /// <summary>One random array per model input: uniform [0, 1) floats, or token ids 1 and 2 for integer inputs.</summary>
    public static NdArray[] Random(KerasModel model, int batch, int unknownDimension)
    {
        var random = new Random(batch);
        return model.Graph.InputLayers.Select(layer =>
        {
            var shape = Shape(layer, batch, unknownDimension);
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (layer.TakesIntegers)
                return NdArray.Of(Enumerable.Range(0, (int)count).Select(_ => random.Next(1, 3)).ToArray(), shape);
            var data = new float[count];
            for (long i = 0; i < count; i++) data[i] = random.NextSingle();
            return NdArray.Of(data, shape);
        }).ToArray();
    }
}
