using System.Text.Json;
using KerasPort.Cli.Onnx;
using KerasPort.Converters.Model;
using static System.FormattableString;

namespace KerasPort.Cli.Bench;

/// <summary>
/// Where ONNX Runtime spends its time on the same model: its own profiler's kernel time for every node (after its graph
/// optimizations, so fused nodes such as <c>FusedConv</c> show as such), summed by operator, per pass. Printed beside
/// KerasPort's plan profile (<see cref="LayerProfile"/>) to show which operators make up the difference.
/// </summary>
internal static class OrtProfile
{
    /// <summary>
    /// Prints one <c>ort-profile</c> line per operator, slowest first, and the sum, each per pass (mean over
    /// <paramref name="passes"/> passes after an uncounted first one, which allocates and plans).
    /// </summary>
    public static void Print(byte[] onnxModel, int threads, IReadOnlyDictionary<string, NdArray> inputs, int batch, int passes)
    {
        string? trace = null;
        try
        {
            using (var runner = new OnnxModelRunner(onnxModel, threads, Path.Combine(Path.GetTempPath(), $"kerasport-ort-profile-{Environment.ProcessId}")))
            {
                for (int pass = 0; pass <= passes; pass++) runner.Run(inputs);
                trace = runner.EndProfiling();
            }
            var perOperator = Aggregate(trace, skipRuns: 1, out int runs);
            if (runs == 0) return;
            double sum = perOperator.Values.Sum(v => v.Microseconds);
            foreach (var (op, (nodes, microseconds)) in perOperator.OrderByDescending(kv => kv.Value.Microseconds))
                Console.WriteLine(Invariant($"ort-profile batch={batch}  {op,-48} nodes {nodes / runs,4}  {microseconds / runs / 1000,9:F3} ms  {100 * microseconds / sum,5:F1}%"));
            Console.WriteLine(Invariant($"ort-profile batch={batch}  sum of node kernel times {sum / runs / 1000:F3} ms per pass ({runs} passes)"));
        }
        finally
        {
            if (trace is not null) File.Delete(trace);
        }
    }

    /// <summary>
    /// Sums the <c>*_kernel_time</c> node events of ONNX Runtime's trace by <c>args.op_name</c>, leaving out the events of
    /// the first <paramref name="skipRuns"/> <c>model_run</c>s; <paramref name="runs"/> gets the number of runs counted.
    /// </summary>
    static Dictionary<string, (int Nodes, double Microseconds)> Aggregate(string path, int skipRuns, out int runs)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var totals = new Dictionary<string, (int, double)>();
        int modelRuns = 0;
        // Events are in time order; a model_run event closes each run, after its node events.
        var pending = new List<(string Op, double Us)>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            string name = e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            string category = e.TryGetProperty("cat", out var c) ? c.GetString() ?? "" : "";
            if (category == "Session" && name == "model_run")
            {
                if (modelRuns++ >= skipRuns)
                    foreach (var (op, us) in pending)
                        totals[op] = totals.TryGetValue(op, out var t) ? (t.Item1 + 1, t.Item2 + us) : (1, us);
                pending.Clear();
            }
            else if (category == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal)
                     && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
                pending.Add((op.GetString() ?? "?", e.GetProperty("dur").GetDouble()));
        }
        runs = Math.Max(0, modelRuns - skipRuns);
        return totals;
    }
}
