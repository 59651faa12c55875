using System.Text.Json.Nodes;
using KerasPort.Converters;
using KerasPort.Converters.Hdf5;
using KerasPort.Converters.Model;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Runtime;

namespace KerasPort.Reference.Dl4j;

/// <summary>
/// A Keras 1/2 model with reference predictions computed by real Keras, from the Deeplearning4j import test
/// resources (see ../shared/corpus/dl4j/README.md): <c>&lt;stem&gt;_model.h5</c> and <c>&lt;stem&gt;_inputs_and_outputs.h5</c>
/// holding <c>inputs/</c>, <c>predictions/</c> and per-layer <c>activations/</c>.
/// </summary>
public sealed record Dl4jCase(string Stem, string ModelPath, string DataPath)
{
    /// <summary>DL4J's references come from TensorFlow float32 kernels; allow for summation-order differences.</summary>
    public static readonly Tolerance Tolerance = new(1e-4, 1e-4);

    /// <summary>Every pair in <paramref name="directory"/>, by stem.</summary>
    public static IReadOnlyList<Dl4jCase> FindAll(string directory) =>
        Directory.EnumerateFiles(directory, "*_model.h5")
            .Select(model => model[..^"_model.h5".Length])
            .Where(stem => File.Exists(stem + "_inputs_and_outputs.h5"))
            .Select(stem => new Dl4jCase(Path.GetFileName(stem), stem + "_model.h5", stem + "_inputs_and_outputs.h5"))
            .OrderBy(c => c.Stem, StringComparer.Ordinal)
            .ToList();

    /// <summary>True if the data file holds reference predictions (one pair holds only training targets).</summary>
    public bool HasPredictions => Hdf5ArrayFile.ReadGroup(DataPath, "predictions").Count > 0;

    /// <summary>
    /// Loads the model, feeds the recorded inputs (matched to model inputs by position) and compares every model
    /// output with Keras's prediction and every recorded layer activation with that layer's output.
    /// </summary>
    public ParityResult Run(LayerRegistry? registry = null)
    {
        try
        {
            var model = KerasModelReader.Load(ModelPath);
            using var runtime = KerasModel.Create(model, registry);
            var inputs = Names("inputs").Select(n => Hdf5ArrayFile.ReadGroup(DataPath, "inputs")[n]).ToArray();
            var trace = runtime.Trace(inputs);
            var predictions = Hdf5ArrayFile.ReadGroup(DataPath, "predictions");
            var comparisons = new List<Comparison>();
            var outputNames = Names("outputs");
            for (int k = 0; k < outputNames.Count; k++)
                if (predictions.TryGetValue(outputNames[k], out var expected))
                    comparisons.Add(ParityRunner.Compare($"predictions/{outputNames[k]}", trace.Outputs[k], expected, Tolerance));
            foreach (var (layer, expected) in Hdf5ArrayFile.ReadGroup(DataPath, "activations"))
                comparisons.Add(trace.Find(layer) is { } call
                    ? ParityRunner.Compare($"activations/{layer}", call.Outputs[0], expected, Tolerance)
                    : new Comparison($"activations/{layer}", double.NaN, false, "no such layer output"));
            return new ParityResult(Stem, "h5", comparisons.All(c => c.Passed) ? ParityStatus.Pass : ParityStatus.Fail, comparisons);
        }
        catch (UnsupportedLayerException e)
        {
            return new ParityResult(Stem, "h5", ParityStatus.Unsupported, [], e.Message, e.ClassName);
        }
        catch (KerasPortException e)
        {
            return new ParityResult(Stem, "h5", ParityStatus.Error, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The names listed in the root attribute <paramref name="kind"/> (<c>{"inputs": [...]}</c>).</summary>
    IReadOnlyList<string> Names(string kind) =>
        (JsonNode.Parse(Hdf5ArrayFile.ReadRootAttribute(DataPath, kind) ?? "{}")?[kind] as JsonArray ?? [])
            .Select(n => (string)n!).ToList();
}
