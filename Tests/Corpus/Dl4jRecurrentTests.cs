using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using PureHDF;
using Xunit;

namespace KerasPort.Tests.Corpus;

/// <summary>
/// The recurrent Keras 1/2 models of the DL4J corpus (<c>corpus/dl4j</c>, see its README) against the
/// predictions and per-layer activations that real Keras computed for them.
/// </summary>
public sealed class Dl4jRecurrentTests
{
    static readonly string Folder = Path.Combine(TestPaths.Corpus, "dl4j");

    static readonly HashSet<string> RecurrentClasses =
    [
        "SimpleRNN", "LSTM", "GRU", "RNN", "CuDNNLSTM", "CuDNNGRU", "Bidirectional", "TimeDistributed",
        "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    ];

    const double Atol = 1e-5, Rtol = 1e-4;

    /// <summary>Every <c>&lt;stem&gt;_model.h5</c> there with a recurrent layer; a placeholder when the corpus is absent.</summary>
    public static TheoryData<string> RecurrentStems()
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(Folder))
        {
            data.Add("(corpus missing)");
            return data;
        }
        foreach (var model in Directory.GetFiles(Folder, "*_model.h5").Order(StringComparer.Ordinal))
            if (KerasModelReader.Load(model).Layers.Any(l => RecurrentClasses.Contains(l.ClassName)))
                data.Add(Path.GetFileName(model)[..^"_model.h5".Length]);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(RecurrentStems))]
    public void RecurrentModelReproducesKeras(string stem)
    {
        Skip.IfNot(Directory.Exists(Folder), $"{Folder} is missing (set KERASPORT_CORPUS)");
        var description = KerasModelReader.Load(Path.Combine(Folder, stem + "_model.h5"));
        using var model = KerasModel.Create(description);
        var reference = Dl4jReference.Read(Path.Combine(Folder, stem + "_inputs_and_outputs.h5"));
        Assert.Equal(description.Inputs.Count, reference.Inputs.Count);
        var trace = model.Trace(reference.Inputs);

        if (reference.Predictions.Count == 0)
        {
            // simple_lstm_tf_keras_2 holds only inputs and training targets: a load-and-run test (README).
            var targets = reference.Outputs;
            for (int i = 0; i < description.Outputs.Count; i++)
                Assert.Equal(targets[description.Outputs[i].Layer].Shape, trace.Outputs[i].Shape);
            return;
        }
        for (int i = 0; i < description.Outputs.Count; i++)
            AssertClose($"predictions/{description.Outputs[i].Layer}", reference.Predictions[description.Outputs[i].Layer], trace.Outputs[i]);
        foreach (var (layer, expected) in reference.Activations)
            AssertClose($"activations/{layer}", expected, trace.Find(layer)?.Outputs[0] ?? throw new Xunit.Sdk.XunitException($"no layer '{layer}' in the model"));
    }

    static void AssertClose(string key, NdArray expected, NdArray actual)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{key}: shape {actual.ShapeText}, Keras {expected.ShapeText}");
        var (e, a) = (expected.ToDoubles(), actual.ToDoubles());
        int worst = Enumerable.Range(0, e.Length).MaxBy(i => Math.Abs(a[i] - e[i]) - Rtol * Math.Abs(e[i]));
        Assert.True(Math.Abs(a[worst] - e[worst]) <= Atol + Rtol * Math.Abs(e[worst]),
            $"{key}: element {worst} is {a[worst]}, Keras {e[worst]} (error {Math.Abs(a[worst] - e[worst]):G3})");
    }

    /// <summary>
    /// A DL4J <c>*_inputs_and_outputs.h5</c>: the root attribute <c>inputs</c> (JSON) orders the datasets under
    /// <c>inputs/</c>; <c>predictions/</c> holds <c>model.predict</c>, <c>activations/</c> every layer's output and
    /// <c>outputs/</c> the training targets.
    /// </summary>
    sealed record Dl4jReference(IReadOnlyList<NdArray> Inputs, IReadOnlyDictionary<string, NdArray> Predictions,
        IReadOnlyDictionary<string, NdArray> Activations, IReadOnlyDictionary<string, NdArray> Outputs)
    {
        public static Dl4jReference Read(string path)
        {
            using var file = H5File.OpenRead(path);
            var names = JsonNode.Parse(file.Attribute("inputs").Read<string>())!["inputs"]!.AsArray().Select(n => (string)n!);
            var inputs = names.Select(n => ReadArray(file.Dataset("inputs/" + n))).ToList();
            return new Dl4jReference(inputs, Group(file, "predictions"), Group(file, "activations"), Group(file, "outputs"));
        }

        static Dictionary<string, NdArray> Group(IH5Group file, string name) =>
            file.LinkExists(name)
                ? file.Group(name).Children().OfType<IH5Dataset>().ToDictionary(d => d.Name, ReadArray)
                : [];

        static NdArray ReadArray(IH5Dataset dataset)
        {
            var shape = dataset.Space.Dimensions.Select(d => (long)d).ToArray();
            return dataset.Type.Size == 8 ? NdArray.Of(dataset.Read<double[]>(), shape) : NdArray.Of(dataset.Read<float[]>(), shape);
        }
    }
}
