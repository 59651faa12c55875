using System.CommandLine;
using System.Globalization;
using KerasPort.Cli.Bench;
using KerasPort.Cli.Onnx;
using KerasPort.Converters;
using KerasPort.Converters.Onnx;
using KerasPort.Runtime;
using static TorchSharp.torch;
using static System.FormattableString;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport bench MODEL</c>: times <see cref="KerasModel.Predict(NdArray[])"/> per batch size (median, p90, throughput)
/// beside ONNX Runtime on KerasPort's ONNX export of the same model (unless <c>--no-ort</c>) and, with <c>--baseline</c>,
/// a hand-written TorchSharp equivalent, all in the same run, printing the latency ratios.
/// Every line is plain text so that logs can be grepped.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        model.Model.Arity = ArgumentArity.ZeroOrOne;
        var builtin = new Option<string?>("--builtin") { Description = $"Benchmark a built-in model instead of MODEL: {BuiltinModels.Names} (the last two from shared/golden/app_configs)" };
        builtin.AcceptOnlyFromAmong(BuiltinModels.Names.Split(", "));
        var batches = new Option<string>("--batch") { Description = "Comma-separated batch sizes", DefaultValueFactory = _ => "1,32" }.Checked(BatchProblem);
        var iterations = new Option<int>("--iterations") { Description = "Timed passes per batch size", DefaultValueFactory = _ => 20 }.Positive();
        var warmup = new Option<int>("--warmup") { Description = "Untimed passes per batch size first", DefaultValueFactory = _ => 3 }.NotNegative();
        var warmupSeconds = new Option<double>("--warmup-seconds") { Description = "Keep warming up each subject for at least this long (lets .NET's tiered JIT optimize the hot code)", DefaultValueFactory = _ => 1.0 }.NotNegative();
        var length = new Option<int>("--length") { Description = "Size of input dimensions the model leaves unknown (besides the batch), e.g. sequence length", DefaultValueFactory = _ => 100 }.Positive();
        var threads = new Option<int?>("--threads") { Description = "Fixed torch intra-op threads (KerasModelOptions.Threads), and ONNX Runtime's; by default KerasPort chooses per call and ONNX Runtime uses its default" }.Positive();
        var baseline = new Option<string?>("--baseline") { Description = "Also time a hand-written TorchSharp equivalent: resnet50, lstm or transformer" };
        baseline.AcceptOnlyFromAmong("resnet50", "lstm", "transformer");
        var profile = new Option<bool>("--profile") { Description = "Also time every step of the inference plan (a layer, or a fused chain of layers) and print the totals per kind of step" };
        var noOrt = new Option<bool>("--no-ort") { Description = "Skip ONNX Runtime, which otherwise runs KerasPort's ONNX export of the model in the same run" };
        var load = new Option<bool>("--load") { Description = "Instead of timing predictions, write the model as .h5 and .keras to a temporary folder and time loading each (and the first prediction)" };
        var runs = new Option<int>("--runs") { Description = "Loads per file with --load (after one untimed first run)", DefaultValueFactory = _ => 5 }.Positive();
        var soak = new Option<int>("--soak") { Description = "Instead of timing predictions, measure resident memory after warm-up and after this many predictions (first --batch size)" }.NotNegative();
        var ortSpin = new Option<bool>("--ort-spin") { Description = "Let ONNX Runtime's idle pool threads spin between runs (its default); off by default, since a spinning thread takes the core libtorch's other threads need when both run in one process" };
        var contention = new Option<int>("--contention") { Description = "Run K busy processes (one spinning thread each) for the whole run, to time the model on a machine where other work runs", DefaultValueFactory = _ => 0 }.NotNegative();
        var concurrency = new Option<int>("--concurrency") { Description = "Call each subject from this many threads at once, as a service taking concurrent requests does (latency per call, throughput of all calls)", DefaultValueFactory = _ => 1 }.Positive();
        var noRetain = new Option<bool>("--no-retain") { Description = "Leave glibc's allocator policy alone (KerasModelOptions.RetainNativeMemory = false), to compare" };
        var command = new Command("bench", "Time a model's inference (latency, throughput) against ONNX Runtime on its ONNX export and, optionally, hand-written TorchSharp.");
        model.AddTo(command, builtin, batches, iterations, warmup, warmupSeconds, length, threads, baseline, profile, noOrt, load, runs, soak, noRetain, ortSpin, contention, concurrency);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var sizes = BatchSizes(result.GetValue(batches)!);
            int timed = result.GetValue(iterations);
            int untimed = result.GetValue(warmup);
            double untimedSeconds = result.GetValue(warmupSeconds);
            int unknown = result.GetValue(length);
            int? requestedThreads = result.GetValue(threads);

            var builtinName = result.GetValue(builtin);
            var description = builtinName is not null ? BuiltinModels.Load(builtinName)
                : result.GetValue(model.Model) is not null ? model.Load(result)
                : throw new UsageException("bench needs a MODEL file or --builtin NAME");
            bool architectureOnly = KerasModel.IsArchitectureOnly(description);
            using var runtime = KerasModel.Create(description, new KerasModelOptions { InitializeMissingWeights = architectureOnly, RetainNativeMemory = !result.GetValue(noRetain), Threads = requestedThreads });
            // The environment (KERASPORT_THREADS, OMP_NUM_THREADS) may fix the count too; ONNX Runtime then gets the same.
            int? threadCount = runtime.FixedThreads;
            bool randomWeights = architectureOnly || builtinName is not null;
            Console.WriteLine($"model {description.Name} ({description.ClassName}, {description.Layers.Count} layers{(randomWeights ? ", random weights" : "")})");
            Console.WriteLine($"device {runtime.Device.type.ToString().ToLowerInvariant()}  threads {threadCount?.ToString(CultureInfo.InvariantCulture) ?? "auto"}  cores {Environment.ProcessorCount}");
            using var busy = BusyProcesses.Start(result.GetValue(contention));
            if (busy.Ids.Any()) Console.WriteLine($"contention {busy.Ids.Count()} busy processes (one spinning thread each, pids {string.Join(" ", busy.Ids)})");
            if (result.GetValue(concurrency) is var callerCount and > 1)
            {
                if (result.GetValue(baseline) is not null) throw new UsageException("--concurrency times KerasPort and ONNX Runtime only; leave out --baseline");
                Console.WriteLine($"concurrency {callerCount} callers per subject, at once");
            }
            if (result.GetValue(load))
            {
                LoadBench.Run(runtime, BenchInputs.Random(runtime, sizes[0], unknown), result.GetValue(runs));
                return 0;
            }
            if (result.GetValue(soak) is var soakCount and not 0)
            {
                SoakBench.Run(runtime, BenchInputs.Random(runtime, sizes[0], unknown), sizes[0], soakCount);
                return 0;
            }
            using var reference = result.GetValue(baseline) is { } baselineName ? Baseline.Create(baselineName, runtime, unknown) : null;
            using var ort = result.GetValue(noOrt) ? null : OrtSubject(runtime, threadCount, result.GetValue(ortSpin));

            Console.WriteLine(Invariant($"params kerasport {ParamCounter.Count(runtime).Total:N0}"));
            if (reference is not null) Console.WriteLine(Invariant($"params baseline  {reference.ParamCount:N0} ({reference.ParamNote})"));
            if (ort is not null) Console.WriteLine(Invariant($"ort    onnxruntime {OnnxRuntimeVersion}, KerasPort's ONNX export (opset {OnnxModelWriter.Opset}), intra-op threads {threadCount?.ToString(CultureInfo.InvariantCulture) ?? "default"}, idle threads {(result.GetValue(ortSpin) ? "spin" : "sleep")}"));

            foreach (int batch in sizes)
            {
                var inputs = BenchInputs.Random(runtime, batch, unknown);
                using var baselineInput = reference?.RandomInput(batch);
                var subjects = new List<Action> { () => runtime.Predict(inputs) };
                if (reference is not null) subjects.Add(() => { IntraOpThreads.SetOnThisThread(threadCount ?? Environment.ProcessorCount); reference.Run(baselineInput!); });
                var ortInputs = runtime.Description.Inputs.Select(i => i.Layer).Zip(inputs).ToDictionary(p => p.First, p => p.Second);
                if (ort is not null) subjects.Add(() => ort.Run(ortInputs));
                var before = runtime.ThreadChoices;
                int callers = result.GetValue(concurrency);
                var stats = callers > 1 ? BenchTimer.MeasureConcurrent(subjects, callers, untimed, untimedSeconds, timed)
                    : BenchTimer.Measure(subjects, untimed, untimedSeconds, timed, cpuTime: threadCount == 1);
                Console.WriteLine(stats[0].Line("kerasport", batch));
                if (threadCount is null) Console.WriteLine(ThreadChoiceLine(before, runtime.ThreadChoices, batch));
                if (reference is not null)
                {
                    Console.WriteLine(stats[1].Line("baseline", batch));
                    Console.WriteLine($"ratio      batch={batch}  kerasport/baseline = {TimingStats.Ratios(stats[0], stats[1])}");
                }
                if (ort is not null)
                {
                    var ortStats = stats[^1];
                    Console.WriteLine(ortStats.Line("ort", batch));
                    Console.WriteLine($"ratio      batch={batch}  kerasport/ort = {TimingStats.Ratios(stats[0], ortStats)}");
                }
                if (result.GetValue(profile))
                {
                    LayerProfile.Print(runtime, inputs, batch, Math.Max(timed, 3));
                    if (ort is not null) OrtProfile.Print(OnnxModelWriter.ToBytes(runtime.BuiltDescription), threadCount ?? Environment.ProcessorCount, ortInputs, batch, Math.Max(timed, 3));
                }
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The ONNX Runtime package version, from its assembly.</summary>
    static string OnnxRuntimeVersion => typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "?";

    /// <summary>
    /// ONNX Runtime on KerasPort's own ONNX export of <paramref name="runtime"/> (with the weights it was built with, random
    /// ones included), with <paramref name="threads"/> intra-op threads; null, with a line saying why, when the model
    /// does not export.
    /// </summary>
    static OnnxModelRunner? OrtSubject(KerasModel runtime, int? threads, bool spinning)
    {
        try
        {
            return new OnnxModelRunner(OnnxModelWriter.ToBytes(runtime.BuiltDescription), threads, spinning);
        }
        catch (KerasPortException e)
        {
            Console.WriteLine($"ort    skipped: {e.Message.Split('\n')[0]}");
            return null;
        }
    }

    /// <summary>How the calls of one batch size (warm-up included) split between one thread and a team.</summary>
    static string ThreadChoiceLine((long SingleThread, long Team) before, (long SingleThread, long Team) after, int batch)
    {
        long single = after.SingleThread - before.SingleThread, team = after.Team - before.Team;
        return Invariant($"threads    batch={batch}  1 thread in {single} of {single + team} calls, a team in {team}");
    }

    static List<int> BatchSizes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToList();

    static string? BatchProblem(string text) =>
        BatchSizes(text) is { Count: > 0 } sizes && !sizes.Contains(0) ? null : "expected comma-separated positive integers, e.g. 1,32";
}
