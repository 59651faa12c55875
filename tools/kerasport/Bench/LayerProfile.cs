using KerasPort.Converters.Model;
using KerasPort.Runtime;
using static TorchSharp.torch;
using static System.FormattableString;

namespace KerasPort.Cli.Bench;

/// <summary>
/// Where <c>Predict</c> spends its time: the steps of the model's inference plan (a layer call, or a fused chain such as
/// Conv2D+BatchNormalization+Activation), each timed with the clock as the plan runs them, over several passes, then
/// summed by the steps' layer classes. The time outside the steps (inputs in, outputs out, the plan's bookkeeping) is
/// the pass's median minus the steps' sum.
/// </summary>
internal static class LayerProfile
{
    /// <summary>How many of the slowest steps <see cref="Print"/> lists after the per-class totals.</summary>
    const int SlowestSteps = 8;

    /// <summary>
    /// Prints one <c>profile</c> line per step kind (the classes of its layers), slowest first, the sum over all steps
    /// against the whole <c>Predict</c>, then the slowest single steps (<c>profile-step</c> lines). Times are medians
    /// over <paramref name="passes"/> passes.
    /// </summary>
    public static void Print(KerasModel model, NdArray[] inputs, int batch, int passes)
    {
        var perStep = new Dictionary<(string Name, string Classes), List<double>>();
        var wholePasses = new List<double>();
        for (int pass = 0; pass < passes; pass++)
        {
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var tensors = inputs.Select(i => TensorConversions.ToTensor(i, model.Device)).ToList();
            foreach (var output in model.Graph.Plan.Run(tensors, (name, classes, ms) =>
                     {
                         if (!perStep.TryGetValue((name, classes), out var times)) perStep[(name, classes)] = times = [];
                         times.Add(ms);
                     }))
                TensorConversions.ToNdArray(output);
            wholePasses.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var steps = perStep.Select(kv => (kv.Key.Name, kv.Key.Classes, Ms: BenchTimer.Median(kv.Value))).ToList();
        double sum = steps.Sum(s => s.Ms);
        foreach (var kind in steps.GroupBy(s => s.Classes).Select(g => (Classes: g.Key, Count: g.Count(), Ms: g.Sum(s => s.Ms))).OrderByDescending(k => k.Ms))
            Console.WriteLine(Invariant($"profile    batch={batch}  {kind.Classes,-48} steps {kind.Count,4}  {kind.Ms,9:F3} ms  {100 * kind.Ms / sum,5:F1}%"));
        double whole = BenchTimer.Median(wholePasses);
        Console.WriteLine(Invariant($"profile    batch={batch}  sum of {steps.Count} plan steps {sum:F3} ms; whole pass {whole:F3} ms (copies in and out, bookkeeping and profiling: {whole - sum:F3} ms)"));
        foreach (var step in steps.OrderByDescending(s => s.Ms).Take(SlowestSteps))
            Console.WriteLine(Invariant($"profile-step batch={batch}  {step.Ms,8:F3} ms  {step.Name} ({step.Classes})"));
    }
}
