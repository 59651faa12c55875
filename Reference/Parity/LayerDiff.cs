using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Converters.Numpy;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Worker;
using KerasPort.Runtime;
using KerasPort.Runtime.Graph;

namespace KerasPort.Reference.Parity;

/// <summary>One output of KerasPort's trace under its io.npz key, with the layer (or op) that produced it.</summary>
/// <param name="Key">io.npz key: <c>out/&lt;layer&gt;[@node]/&lt;k&gt;</c>, <c>inner/...</c> or <c>final/&lt;k&gt;</c>.</param>
/// <param name="Layer">Layer name as the key shows it (<c>dense</c>, <c>dense@1</c>, <c>nested/inner</c>; <c>final</c> for model outputs).</param>
/// <param name="ClassName">Keras class of the layer, or <c>Model output</c>.</param>
/// <param name="Value">The array KerasPort computed.</param>
public sealed record KeyedOutput(string Key, string Layer, string ClassName, NdArray Value);

/// <summary>One row of a per-layer diff: an output compared with Keras's, in graph order.</summary>
/// <param name="Key">io.npz key of the output.</param>
/// <param name="Layer">Layer name as the key shows it.</param>
/// <param name="ClassName">Keras class of the layer.</param>
/// <param name="Comparison">Errors and verdict.</param>
/// <param name="Actual">KerasPort's array (null when KerasPort produced none).</param>
/// <param name="Expected">Keras's array.</param>
public sealed record LayerDiffRow(string Key, string Layer, string ClassName, Comparison Comparison, NdArray? Actual, NdArray Expected)
{
    /// <summary>True when the output is within tolerance.</summary>
    public bool Passed => Comparison.Passed;
}

/// <summary>A layer call whose outputs KerasPort computed but Keras did not give, so they were not compared.</summary>
/// <param name="Layer">Layer name as the key shows it (<c>dense</c>, <c>dense@1</c>, <c>encoder/dense</c>).</param>
/// <param name="ClassName">Keras class of the layer.</param>
/// <param name="Reason">Why Keras gave no outputs for it.</param>
public sealed record NotComparedLayer(string Layer, string ClassName, string Reason);

/// <summary>Every compared output of one forward pass, in graph order, and the first one that diverges.</summary>
/// <param name="Rows">Rows in KerasPort's execution (graph) order; outputs KerasPort did not produce come last.</param>
/// <param name="Tolerance">The tolerance applied.</param>
public sealed record LayerDiffReport(IReadOnlyList<LayerDiffRow> Rows, Tolerance Tolerance)
{
    /// <summary>Layer calls KerasPort ran whose outputs Keras did not give (filled when comparing with a live reference).</summary>
    public IReadOnlyList<NotComparedLayer> NotCompared { get; init; } = [];

    /// <summary>True when only the model outputs were compared, on request (<c>--final-only</c>).</summary>
    public bool FinalOnly { get; init; }

    /// <summary>True when every row passed.</summary>
    public bool Passed => Rows.All(r => r.Passed);

    /// <summary>True when every row passed and every layer KerasPort ran was compared (or only final outputs were asked for).</summary>
    public bool PassedCompletely => Passed && NotCompared.Count == 0;

    /// <summary>The first row out of tolerance in graph order: where the divergence starts. Null when all pass.</summary>
    public LayerDiffRow? FirstDivergent => Rows.FirstOrDefault(r => !r.Passed);

    /// <summary>The row with the largest absolute error (NaN mismatches first), or null when there are no rows.</summary>
    public LayerDiffRow? Worst => Rows.OrderByDescending(r => double.IsNaN(r.Comparison.MaxAbsError) ? double.PositiveInfinity : r.Comparison.MaxAbsError).FirstOrDefault();

    /// <summary>One line naming the first divergent layer and its errors, or saying that everything matched.</summary>
    public string Describe()
    {
        var scope = FinalOnly ? " (model outputs only, as --final-only asked; layers not compared)"
            : NotCompared.Count > 0 ? $"; but {NotCompared.Count} layer calls were NOT compared (Keras gave no outputs for them)" : "";
        return DescribeRows() + scope;
    }

    string DescribeRows()
    {
        if (FirstDivergent is not { } first) return $"all {Rows.Count} outputs match Keras within atol={Tolerance.Atol:G3}, rtol={Tolerance.Rtol:G3}";
        var c = first.Comparison;
        var detail = c.Problem ?? $"max abs error {c.MaxAbsError:G4}, max rel error {c.MaxRelError:G4}, mean abs error {c.MeanAbsError:G4}, " +
            $"{c.OutOfTolerance} values out of tolerance, {c.NonFiniteMismatches} NaN/Inf mismatches";
        return $"first divergent layer: {first.Layer} ({first.ClassName}) at {first.Key}: {detail} " +
            $"[atol={Tolerance.Atol:G3}, rtol={Tolerance.Rtol:G3}; {Rows.Count(r => !r.Passed)} of {Rows.Count} outputs fail]";
    }
}

/// <summary>
/// Per-layer comparison of KerasPort with Keras: runs a model once, keys every layer output as io.npz does, and
/// compares each with Keras's array of the same key. Used by <c>kerasport verify</c>, <c>kerasport diff</c> and
/// <c>KerasParity.AssertMatches</c>.
/// </summary>
public static class LayerDiff
{
    /// <summary>Runs <paramref name="runtime"/> on <paramref name="inputs"/> and compares every output whose key <paramref name="expected"/> holds (<c>in/</c> keys are skipped).</summary>
    public static LayerDiffReport Run(KerasModel runtime, IReadOnlyList<NdArray> inputs, IReadOnlyDictionary<string, NdArray> expected,
        Tolerance tolerance, IReadOnlySet<string>? skip = null)
        => Compare(KeyedOutputs(runtime.Description, runtime.Trace(inputs)), expected, tolerance, skip);

    static LayerDiffReport Compare(IReadOnlyList<KeyedOutput> actual, IReadOnlyDictionary<string, NdArray> expected, Tolerance tolerance, IReadOnlySet<string>? skip = null)
    {
        var rows = new List<LayerDiffRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in actual)
        {
            if (!expected.TryGetValue(output.Key, out var keras) || skip?.Contains(output.Key) == true) continue;
            seen.Add(output.Key);
            rows.Add(new LayerDiffRow(output.Key, output.Layer, output.ClassName, ParityRunner.Compare(output.Key, output.Value, keras, tolerance), output.Value, keras));
        }
        foreach (var (key, keras) in expected)
        {
            if (!IsLayerOutputKey(key) || seen.Contains(key) || skip?.Contains(key) == true) continue;
            rows.Add(new LayerDiffRow(key, LayerOfKey(key), "", new Comparison(key, double.NaN, false, "KerasPort produced no such output") { Shape = keras.Shape }, null, keras));
        }
        return new LayerDiffReport(rows, tolerance);
    }

    /// <summary>
    /// Whether an io.npz key holds a forward pass's output (<c>out/</c>, <c>inner/</c>, <c>final/</c>); other keys are
    /// inputs (<c>in/</c>) or another check's data (a generation case's <c>generate/*</c>), which a trace cannot produce.
    /// </summary>
    static bool IsLayerOutputKey(string key) =>
        key.StartsWith("out/", StringComparison.Ordinal) || key.StartsWith("inner/", StringComparison.Ordinal) || key.StartsWith("final/", StringComparison.Ordinal);

    /// <summary>
    /// Runs <paramref name="runtime"/> on <paramref name="inputs"/> and compares with a live reference's outputs. Every
    /// layer call KerasPort ran that Keras gave no output for is listed in <see cref="LayerDiffReport.NotCompared"/>
    /// with the reference's reason; with <paramref name="finalOnly"/>, only the model outputs are compared.
    /// </summary>
    public static LayerDiffReport Run(KerasModel runtime, IReadOnlyList<NdArray> inputs, ReferenceOutputs reference, Tolerance tolerance, bool finalOnly = false)
    {
        var expected = finalOnly
            ? reference.Arrays.Where(p => p.Key.StartsWith("final/", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal)
            : reference.Arrays;
        var actual = KeyedOutputs(runtime.Description, runtime.Trace(inputs));
        var report = Compare(actual, expected, tolerance);
        if (finalOnly) return report with { FinalOnly = true };
        var notCompared = actual.Where(o => !reference.Arrays.ContainsKey(o.Key))
            .DistinctBy(o => o.Layer)
            .Select(o => new NotComparedLayer(o.Layer, o.ClassName, ReasonFor(o.Key, reference.NotCompared)))
            .ToList();
        return report with { NotCompared = notCompared };
    }

    /// <summary>The reference's reason for the layer call of <paramref name="key"/> (keyed by its key prefix, or <c>*</c>).</summary>
    static string ReasonFor(string key, IReadOnlyDictionary<string, string> reasons) =>
        reasons.FirstOrDefault(r => key.StartsWith(r.Key + "/", StringComparison.Ordinal)).Value
        ?? reasons.GetValueOrDefault("*")
        ?? "the reference Keras returned no output for this layer call";

    /// <summary>Runs <paramref name="runtime"/> on a golden case's inputs and compares with its recorded outputs.</summary>
    public static LayerDiffReport Run(KerasModel runtime, GoldenCase goldenCase, Tolerance? tolerance = null)
    {
        var expected = NpzArchive.Read(goldenCase.PathOf("io.npz"));
        return Run(runtime, CaseInputs(runtime.Description, expected, goldenCase.PathOf("io.npz")), expected,
            tolerance ?? goldenCase.Tolerance, goldenCase.OmittedOutputs);
    }

    /// <summary>The model's inputs from io.npz-style arrays: key <c>in/&lt;input layer&gt;</c> (or the bare input name).</summary>
    public static NdArray[] CaseInputs(ModelDescription model, IReadOnlyDictionary<string, NdArray> arrays, string source) =>
        model.Inputs.Select(i => arrays.GetValueOrDefault($"in/{i.Layer}") ?? arrays.GetValueOrDefault(i.Layer)
            ?? throw new ModelFileException(source, $"in/{i.Layer}", $"no array for model input '{i.Layer}'")).ToArray();

    /// <summary>
    /// Names trace outputs as io.npz does, in execution order: <c>out/&lt;layer&gt;/&lt;k&gt;</c>, <c>out/&lt;layer&gt;@&lt;node&gt;/&lt;k&gt;</c>
    /// for a layer called more than once, <c>inner/&lt;model&gt;[@node]/&lt;layer&gt;/&lt;k&gt;</c> inside nested models
    /// (each right after its nested model's own outputs), then <c>final/&lt;k&gt;</c>.
    /// </summary>
    public static IReadOnlyList<KeyedOutput> KeyedOutputs(ModelDescription model, ModelTrace trace)
    {
        var keyed = new List<KeyedOutput>();
        AddCalls(keyed, model, trace, "out", "inner", "");
        for (int k = 0; k < trace.Outputs.Count; k++) keyed.Add(new KeyedOutput($"final/{k}", "final", "Model output", trace.Outputs[k]));
        return keyed;
    }

    static void AddCalls(List<KeyedOutput> keyed, ModelDescription model, ModelTrace trace, string outPrefix, string innerPrefix, string layerPrefix)
    {
        var inputNames = model.Inputs.Select(i => i.Layer).ToHashSet();
        foreach (var call in trace.Calls)
        {
            if (inputNames.Contains(call.Layer)) continue;
            var description = model.Layer(call.Layer);
            var name = description.InboundNodes.Count > 1 ? $"{call.Layer}@{call.NodeIndex}" : call.Layer;
            for (int k = 0; k < call.Outputs.Count; k++)
                keyed.Add(new KeyedOutput($"{outPrefix}/{name}/{k}", layerPrefix + name, description.ClassName, call.Outputs[k]));
            if (call.Inner is { } inner && description.Nested is { } nested)
                AddCalls(keyed, nested, inner, $"{innerPrefix}/{name}", $"{innerPrefix}/{name}", $"{layerPrefix}{name}/");
        }
    }

    /// <summary>The layer part of an io.npz key (<c>out/dense/0</c> → <c>dense</c>).</summary>
    static string LayerOfKey(string key)
    {
        var parts = key.Split('/');
        return parts.Length <= 2 ? parts[0] : string.Join('/', parts[1..^1]);
    }
}
