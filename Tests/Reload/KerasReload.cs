using System.Text.Json.Nodes;
using KerasPort.Reference.Golden;

namespace KerasPort.Tests.Reload;

/// <summary>A file KerasPort wrote, to be loaded and run by real Keras: the inputs it runs on, and KerasPort's own outputs for them.</summary>
/// <param name="Id">Names the job in reports.</param>
/// <param name="Model">The <c>.keras</c>, <c>.h5</c> or <c>.json</c> file (then with <paramref name="Weights"/>).</param>
/// <param name="Inputs">The model inputs, in <c>model.inputs</c> order.</param>
/// <param name="Expected">KerasPort's outputs for <paramref name="Inputs"/>, in <c>model.outputs</c> order.</param>
/// <param name="Weights">A weights file for an architecture-only <paramref name="Model"/>.</param>
/// <param name="Targets">When set, Keras also fits one step on <paramref name="Inputs"/> against these targets and reports the optimizer's iterations.</param>
public sealed record ReloadJob(string Id, string Model, IReadOnlyList<NdArray> Inputs, IReadOnlyList<NdArray> Expected, string? Weights = null, IReadOnlyList<NdArray>? Targets = null);

/// <summary>What Keras made of a <see cref="ReloadJob"/>: its error, or its outputs (and optimizer iterations when it trained).</summary>
public sealed record ReloadResult(ReloadJob Job, string? Error, IReadOnlyList<NdArray> Outputs, long? IterationsBefore, long? IterationsAfter)
{
    /// <summary>
    /// Null when Keras loaded the file and its outputs match KerasPort's within <paramref name="tolerance"/> (numpy
    /// <c>allclose</c>: <c>|a - b| &lt;= atol + rtol * |b|</c>); else why not.
    /// </summary>
    public string? Mismatch(Tolerance tolerance)
    {
        if (Error is not null) return $"Keras could not load or run {Path.GetFileName(Job.Model)}: {Error}";
        if (Outputs.Count != Job.Expected.Count) return $"Keras gave {Outputs.Count} outputs, KerasPort {Job.Expected.Count}";
        for (int k = 0; k < Outputs.Count; k++)
        {
            var (expected, actual) = (Job.Expected[k], Outputs[k]);
            if (!expected.Shape.SequenceEqual(actual.Shape))
                return $"output {k}: Keras shape [{string.Join(", ", actual.Shape)}], KerasPort [{string.Join(", ", expected.Shape)}]";
            var (b, a) = (expected.ToDoubles(), actual.ToDoubles());
            for (int i = 0; i < a.Length; i++)
                if (!(Math.Abs(a[i] - b[i]) <= tolerance.Atol + tolerance.Rtol * Math.Abs(b[i])) && !(double.IsNaN(a[i]) && double.IsNaN(b[i])))
                    return $"output {k}: element {i} is {a[i]:G9} in Keras, {b[i]:G9} in KerasPort (atol {tolerance.Atol}, rtol {tolerance.Rtol})";
        }
        return null;
    }
}

/// <summary>
/// Runs <see cref="ReloadJob"/>s through <c>Tests/python/reload_check.py</c> in real Keras, all in one Python start
/// (each start imports torch, about 10 s).
/// </summary>
public static class KerasReload
{
    /// <summary>The checker script.</summary>
    public static string Script => Path.Combine(TestPaths.RepoRoot, "Tests", "python", "reload_check.py");

    /// <summary>Runs <paramref name="jobs"/>, writing their arrays under <paramref name="folder"/>; one result per job, by id.</summary>
    public static IReadOnlyDictionary<string, ReloadResult> Run(IReadOnlyList<ReloadJob> jobs, string folder)
    {
        var entries = new JsonArray();
        for (int j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            var inputs = Path.Combine(folder, $"job{j}.in.npz");
            NpzArchive.Write(inputs, Numbered(job.Inputs), compressed: false);
            var targets = job.Targets is null ? null : Path.Combine(folder, $"job{j}.y.npz");
            if (targets is not null) NpzArchive.Write(targets, Numbered(job.Targets!), compressed: false);
            entries.Add(new JsonObject
            {
                ["id"] = job.Id,
                ["model"] = job.Model,
                ["weights"] = job.Weights,
                ["inputs"] = inputs,
                ["outputs"] = Path.Combine(folder, $"job{j}.out.npz"),
                ["train"] = targets is not null,
                ["targets"] = targets,
            });
        }
        var jobsFile = Path.Combine(folder, "jobs.json");
        File.WriteAllText(jobsFile, entries.ToJsonString());
        var (exitCode, output) = RealKeras.Run(Script, jobsFile);
        var reports = output.Split('\n').Where(l => l.StartsWith("{\"id\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!).ToDictionary(r => (string)r["id"]!);
        var results = new Dictionary<string, ReloadResult>();
        for (int j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            if (!reports.TryGetValue(job.Id, out var report))
            {
                results[job.Id] = new(job, $"the checker stopped (exit {exitCode}) before this job: {Tail(output)}", [], null, null);
                continue;
            }
            if ((bool)report["ok"]! is false)
            {
                results[job.Id] = new(job, (string?)report["error"] ?? "failed", [], null, null);
                continue;
            }
            var arrays = NpzArchive.Read(Path.Combine(folder, $"job{j}.out.npz"));
            results[job.Id] = new(job, null, Enumerable.Range(0, arrays.Count).Select(i => arrays[i.ToString()]).ToList(),
                (long?)report["iterations_before"], (long?)report["iterations_after"]);
        }
        return results;
    }

    static IEnumerable<KeyValuePair<string, NdArray>> Numbered(IReadOnlyList<NdArray> arrays) =>
        arrays.Select((a, i) => KeyValuePair.Create(i.ToString(), a));

    static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
