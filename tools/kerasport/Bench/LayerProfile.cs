using System.Diagnostics;
using System.Globalization;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using KerasPort.Runtime.Layers;
using static TorchSharp.torch;

namespace KerasPort.Cli.Bench;

/// <summary>
/// Where a forward pass spends its time: every layer call timed on its own (inputs taken from a traced pass),
/// summed by Keras class. Masks are not replayed, so masked models are profiled as if unmasked. With one torch thread the
/// times are the calling thread's CPU time (<see cref="ThreadCpuTime"/>), which other processes on the machine do not inflate.
/// </summary>
internal static class LayerProfile
{
    /// <summary>How many of the slowest single calls <see cref="Print"/> lists after the per-class totals.</summary>
    const int SlowestCalls = 8;

    /// <summary>
    /// Prints one <c>profile</c> line per layer class, slowest first, then the sum over all calls, then the slowest
    /// single calls with their input shapes (<c>profile-call</c> lines).
    /// </summary>
    public static void Print(KerasModel model, NdArray[] inputs, int batch, int repetitions, bool cpuTime)
    {
        var trace = model.Trace(inputs);
        var totals = new Dictionary<string, (int Calls, double Milliseconds)>();
        var single = new List<(string Call, double Milliseconds)>();
        foreach (var layer in model.Description.Layers)
            for (int node = 0; node < layer.InboundNodes.Count; node++)
            {
                using var scope = NewDisposeScope();
                var inbound = layer.InboundNodes[node];
                object? Resolve(NodeArgument argument) => argument switch
                {
                    TensorArgument { Tensor: var t } => TensorConversions.ToTensor(trace.Find(t.Layer, t.NodeIndex)!.Outputs[t.TensorIndex], model.Device),
                    ConstantArgument c => c.Value,
                    ListArgument l => l.Items.Select(Resolve).ToList(),
                    _ => null,
                };
                var arguments = new CallArguments(inbound.Args.Select(Resolve).ToList(), inbound.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value)));
                double milliseconds = BenchTimer.Median(Enumerable.Range(0, repetitions).Select(_ => Time(model.Graph.Layers[layer.Name], arguments, cpuTime && ThreadCpuTime.Available)));
                single.Add(($"{layer.Name} ({layer.ClassName}) in {string.Join(" ", arguments.Inputs.Select(t => $"({string.Join(", ", t.shape)})"))}", milliseconds));
                var (calls, sum) = totals.GetValueOrDefault(layer.ClassName);
                totals[layer.ClassName] = (calls + 1, sum + milliseconds);
            }
        double all = totals.Values.Sum(t => t.Milliseconds);
        foreach (var (className, (calls, milliseconds)) in totals.OrderByDescending(t => t.Value.Milliseconds))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"profile    batch={batch}  {className,-24} calls {calls,4}  {milliseconds,9:F1} ms  {100 * milliseconds / all,5:F1}%"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile    batch={batch}  sum of layer calls {all:F1} ms"));
        foreach (var (call, milliseconds) in single.OrderByDescending(c => c.Milliseconds).Take(SlowestCalls))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile-call batch={batch}  {milliseconds,7:F2} ms  {call}"));
    }

    static double Time(KerasLayer layer, CallArguments arguments, bool cpuTime)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double cpuStart = ThreadCpuTime.Milliseconds();
        var watch = Stopwatch.StartNew();
        layer.Call(arguments);
        return cpuTime ? ThreadCpuTime.Milliseconds() - cpuStart : watch.Elapsed.TotalMilliseconds;
    }
}
