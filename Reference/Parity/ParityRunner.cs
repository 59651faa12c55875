using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;
using KerasPort.Reference.Golden;
using KerasPort.Runtime;

namespace KerasPort.Reference.Parity;

/// <summary>
/// Runs a golden case through KerasPort (file → description → runtime) and compares every layer output,
/// nested-model inner output and final output that Keras recorded, plus Keras's parameter counts. The final outputs
/// are checked twice: from the layer-by-layer trace (keys <c>final/k</c>) and from <c>Predict</c>, which runs the
/// inference plan with its fused steps (keys <c>predict/k</c>).
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
            var diff = LayerDiff.Run(runtime, goldenCase);
            var comparisons = diff.Rows.Select(r => r.Comparison).ToList();
            comparisons.AddRange(ComparePredictions(goldenCase, runtime));
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

    /// <summary>Compares one array elementwise with numpy <c>allclose</c> semantics; bool arrays must match exactly.</summary>
    public static Comparison Compare(string key, NdArray actual, NdArray expected, Tolerance tolerance)
    {
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new Comparison(key, double.NaN, false, $"shape {actual.ShapeText}, Keras has {expected.ShapeText}") { Shape = expected.Shape };
        var a = actual.ToDoubles();
        var b = expected.ToDoubles();
        bool exact = expected.DType == DType.Bool;
        double worst = 0, worstRelative = 0, sum = 0;
        long finite = 0, nonFinite = 0, outside = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                if (double.IsNaN(a[i]) != double.IsNaN(b[i])) { worst = double.NaN; nonFinite++; outside++; }
                continue;
            }
            if (a[i] == b[i]) { finite += double.IsFinite(a[i]) ? 1 : 0; continue; } // equal values, equal infinities
            double error = Math.Abs(a[i] - b[i]);
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i])) nonFinite++;
            else
            {
                finite++;
                sum += error;
                if (b[i] != 0) worstRelative = Math.Max(worstRelative, error / Math.Abs(b[i]));
            }
            if (!double.IsNaN(worst)) worst = Math.Max(worst, error);
            if (exact || error > tolerance.Atol + tolerance.Rtol * Math.Abs(b[i])) outside++;
        }
        return new Comparison(key, worst, outside == 0)
        {
            MaxRelError = worstRelative,
            MeanAbsError = finite == 0 ? 0 : sum / finite,
            NonFiniteMismatches = nonFinite,
            OutOfTolerance = outside,
            Shape = expected.Shape,
        };
    }

    /// <summary><c>Predict</c>'s outputs (the inference plan: folded BatchNormalizations, fused activations) against Keras's final outputs.</summary>
    static IEnumerable<Comparison> ComparePredictions(GoldenCase goldenCase, KerasModel runtime)
    {
        var expected = NpzArchive.Read(goldenCase.PathOf("io.npz"));
        var outputs = runtime.Predict(LayerDiff.CaseInputs(runtime.Description, expected, goldenCase.PathOf("io.npz")));
        for (int k = 0; k < outputs.Length; k++)
            if (expected.TryGetValue($"final/{k}", out var keras) && !goldenCase.OmittedOutputs.Contains($"final/{k}"))
                yield return Compare($"predict/{k}", outputs[k], keras, goldenCase.Tolerance);
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
