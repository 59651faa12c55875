using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;
using KerasPort.Reference.Golden;
using KerasPort.Runtime;
using KerasPort.Runtime.Graph;

namespace KerasPort.Reference.Parity;

/// <summary>
/// Runs a golden case through KerasPort (file → description → runtime) and compares every layer output,
/// nested-model inner output and final output that Keras recorded, plus Keras's parameter counts.
/// </summary>
public static class ParityRunner
{
    /// <summary>Runs <paramref name="goldenCase"/> from its <paramref name="format"/> files.</summary>
    public static ParityResult Run(GoldenCase goldenCase, GoldenFormat format, LayerRegistry? registry = null)
    {
        try
        {
            var model = KerasModelReader.Load(goldenCase.PathOf(format.ModelFile),
                format.WeightsFile is null ? null : goldenCase.PathOf(format.WeightsFile));
            using var runtime = KerasModel.Create(model, registry, initializeMissingWeights: format.ArchitectureOnly);
            if (format.ArchitectureOnly)
            {
                // Building along a dummy pass already ran every layer; the summary runs the model twice more.
                var summary = ModelSummary.Build(runtime);
                var checks = CompareParams(goldenCase, runtime).ToList();
                return new ParityResult(goldenCase.Id, format.Name, checks.All(c => c.Passed) && summary.Rows.Count > 0 ? ParityStatus.Pass : ParityStatus.Fail, checks);
            }
            var expected = NpzArchive.Read(goldenCase.PathOf("io.npz"));
            var inputs = model.Inputs.Select(i => expected.TryGetValue($"in/{i.Layer}", out var a) ? a
                : throw new KerasPortException($"io.npz has no input 'in/{i.Layer}'")).ToArray();
            var trace = runtime.Trace(inputs);
            var actual = KeyedOutputs(model, trace, "out", "inner");
            for (int k = 0; k < trace.Outputs.Count; k++) actual[$"final/{k}"] = trace.Outputs[k];

            var comparisons = new List<Comparison>();
            foreach (var (key, value) in expected)
            {
                if (key.StartsWith("in/", StringComparison.Ordinal) || goldenCase.OmittedOutputs.Contains(key)) continue;
                comparisons.Add(actual.TryGetValue(key, out var mine)
                    ? Compare(key, mine, value, goldenCase.Tolerance)
                    : new Comparison(key, double.NaN, false, "KerasPort produced no such output"));
            }
            comparisons.AddRange(CompareParams(goldenCase, runtime));
            var status = comparisons.All(c => c.Passed) ? ParityStatus.Pass : ParityStatus.Fail;
            return new ParityResult(goldenCase.Id, format.Name, status, comparisons);
        }
        catch (UnsupportedLayerException e)
        {
            return new ParityResult(goldenCase.Id, format.Name, ParityStatus.Unsupported, [], e.Message, e.ClassName);
        }
        catch (Exception e) when (e is KerasPortException or IOException or InvalidDataException or ArgumentException or FormatException or InvalidOperationException)
        {
            return new ParityResult(goldenCase.Id, format.Name, ParityStatus.Error, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Names trace outputs as io.npz does: <c>out/&lt;layer&gt;/&lt;k&gt;</c>, <c>out/&lt;layer&gt;@&lt;node&gt;/&lt;k&gt;</c> for a layer
    /// called more than once, and <c>inner/&lt;model&gt;[@node]/&lt;layer&gt;/&lt;k&gt;</c> inside nested models.
    /// </summary>
    static Dictionary<string, NdArray> KeyedOutputs(ModelDescription model, ModelTrace trace, string outPrefix, string innerPrefix)
    {
        var keyed = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        var inputNames = model.Inputs.Select(i => i.Layer).ToHashSet();
        foreach (var call in trace.Calls)
        {
            if (inputNames.Contains(call.Layer)) continue;
            var description = model.Layer(call.Layer);
            var name = description.InboundNodes.Count > 1 ? $"{call.Layer}@{call.NodeIndex}" : call.Layer;
            for (int k = 0; k < call.Outputs.Count; k++) keyed[$"{outPrefix}/{name}/{k}"] = call.Outputs[k];
            if (call.Inner is { } inner && description.Nested is { } nested)
                foreach (var (key, value) in KeyedOutputs(nested, inner, $"{innerPrefix}/{name}", $"{innerPrefix}/{name}"))
                    keyed[key] = value;
        }
        return keyed;
    }

    /// <summary>Compares one array elementwise with numpy <c>allclose</c> semantics; bool arrays must match exactly.</summary>
    public static Comparison Compare(string key, NdArray actual, NdArray expected, Tolerance tolerance)
    {
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new Comparison(key, double.NaN, false, $"shape {actual.ShapeText}, Keras has {expected.ShapeText}");
        var a = actual.ToDoubles();
        var b = expected.ToDoubles();
        bool exact = expected.DType == DType.Bool;
        double worst = 0;
        bool passed = true;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                if (double.IsNaN(a[i]) != double.IsNaN(b[i])) { passed = false; worst = double.NaN; }
                continue;
            }
            double error = Math.Abs(a[i] - b[i]);
            if (a[i] == b[i]) error = 0; // equal infinities
            if (!double.IsNaN(worst)) worst = Math.Max(worst, error);
            if (exact ? error != 0 : error > tolerance.Atol + tolerance.Rtol * Math.Abs(b[i])) passed = false;
        }
        return new Comparison(key, worst, passed);
    }

    static IEnumerable<Comparison> CompareParams(GoldenCase goldenCase, KerasModel runtime)
    {
        if (goldenCase.Params is not { } expected) yield break;
        var counts = ParamCounter.Count(runtime);
        yield return ParamComparison("params/total", counts.Total, expected.Total);
        yield return ParamComparison("params/trainable", counts.Trainable, expected.Trainable);
        yield return ParamComparison("params/non_trainable", counts.NonTrainable, expected.NonTrainable);
        foreach (var layer in goldenCase.Layers.Where(l => l.Params is not null && l.Kind != "op").DistinctBy(l => l.Name))
            if (runtime.Graph.Layers.TryGetValue(layer.Name, out var mine))
                yield return ParamComparison($"params/{layer.Name}", mine.ParamCount, layer.Params!.Value);
    }

    static Comparison ParamComparison(string key, long actual, long expected) =>
        new(key, Math.Abs(actual - expected), actual == expected, actual == expected ? null : $"KerasPort counts {actual}, Keras {expected}");
}
