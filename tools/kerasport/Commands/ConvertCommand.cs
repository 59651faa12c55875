using System.CommandLine;
using System.Diagnostics;
using System.Text;
using KerasPort.Converters;
using KerasPort.Converters.CSharp;
using KerasPort.Converters.Model;
using KerasPort.Cli.Onnx;
using KerasPort.Reference.Worker;
using KerasPort.Runtime;
using KerasPort.Runtime.Export;
using Spectre.Console;

namespace KerasPort.Cli.Commands;

/// <summary><c>kerasport convert MODEL</c>: writes the model as a KerasPort archive, a Keras 3 .keras file or a legacy .h5 file (and, on request, as C# TorchSharp source), then checks it.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var output = new Option<string?>("--output", "-o") { Description = "File to write (default: MODEL.kerasport, MODEL.keras, MODEL.h5 or MODEL.onnx next to MODEL)" }.OutputFile();
        var to = new Option<string>("--to") { Description = "Target: torchsharp (KerasPort archive, loads fast), keras (Keras 3 .keras), h5 (legacy full-model .h5 of the source's Keras generation), onnx (ONNX opset 17, checked with ONNX Runtime) or keras-weights (Keras 3 NAME.weights.h5, or NAME.weights.json and its shards with --max-shard-size, beside the architecture NAME.json)", DefaultValueFactory = _ => "torchsharp" };
        to.AcceptOnlyFromAmong("torchsharp", "keras", "h5", "onnx", "keras-weights");
        var maxShardSize = new Option<double?>("--max-shard-size") { Description = "With --to keras-weights: shard the weights, at most this many GB (1024^3 bytes) per shard, as Keras's save_weights(max_shard_size=...) does" }.Positive();
        var force = new Option<bool>("--force") { Description = "Overwrite existing output files" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip loading the result back and comparing its outputs with the source's" };
        var emitCSharp = new Option<bool>("--emit-csharp")
        {
            Description = "Also write OUTPUT.cs, a readable C# TorchSharp module that builds the same network, and OUTPUT.dat, its weights in TorchSharp's format",
        };
        var command = new Command("convert", "Convert a model to a KerasPort archive (torchsharp), a Keras 3 .keras file, a legacy .h5 file or ONNX, optionally with C# TorchSharp source, and verify the result.");
        model.AddTo(command, output, to, force, noVerify, emitCSharp, maxShardSize);
        command.SetAction(result => CliErrors.Guard(result, () =>
        {
            var clock = Stopwatch.StartNew();
            var source = result.GetValue(model.Model)!;
            var weights = result.GetValue(model.Weights);
            var targetName = result.GetValue(to)!;
            var target = targetName switch
            {
                "keras" => ConversionTarget.Keras,
                "h5" => ConversionTarget.LegacyHdf5,
                "onnx" => ConversionTarget.Onnx,
                "keras-weights" => ConversionTarget.KerasWeights,
                _ => ConversionTarget.TorchSharp,
            };
            long? shardBytes = result.GetValue(maxShardSize) is { } gigabytes ? (long)Math.Ceiling(gigabytes * (1L << 30)) : null;
            if (shardBytes is not null && target != ConversionTarget.KerasWeights) throw new UsageException("--max-shard-size applies to --to keras-weights only");
            var description = model.Load(result);
            var path = result.GetValue(output) ?? ModelConverter.DefaultOutput(source, target, sharded: shardBytes is not null);
            var files = target == ConversionTarget.KerasWeights ? KerasWeightsFiles(description, path, shardBytes)
                : new List<OutputFile> { new(path, stream => ModelConverter.WriteTarget(description, target, stream)) };
            int written = files.Count;
            CSharpModule? emitted = null;
            if (result.GetValue(emitCSharp))
            {
                // Translated before anything is written: a layer without translation stops the whole conversion.
                emitted = CSharpEmitter.Emit(description, Path.GetFileNameWithoutExtension(path));
                files.Add(new(Path.ChangeExtension(path, ".cs"), stream =>
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                    writer.Write(emitted.Source);
                }));
                files.Add(new(Path.ChangeExtension(path, ".dat"), stream => TorchSharpStateFile.Save(emitted.State, stream)));
            }
            var lines = new List<string>();
            long parameters = 0;
            int exitCode = 0;
            void Run(IProgress<long>? written, Action? verifying)
            {
                ModelConverter.WriteFiles(files, result.GetValue(force), written, weights is null ? [source] : [source, weights]);
                verifying?.Invoke();
                using var original = model.Create(result, description, Comparable);
                parameters = ParamCounter.Count(original).Total;
                if (result.GetValue(noVerify)) return;
                double? difference = MaxAbsDifference(original, path, target, out var skipped, out var used);
                if (difference is null)
                {
                    lines.Add($"verify: skipped, the source model rejects the seeded inputs ({skipped})");
                    return;
                }
                lines.Add($"verify: max abs difference {difference:G6} on {used}");
                if (target == ConversionTarget.Onnx ? difference <= OnnxTolerance : difference == 0) return;
                lines.Add("error: the converted model's outputs differ from the source's (the file is kept for inspection)");
                exitCode = 1;
            }
            long estimate = ModelConverter.WeightBytes(description) * (emitted is null ? 1 : 2);
            if (estimate >= ProgressBytes && !Console.IsOutputRedirected)
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(context =>
                {
                    var writing = context.AddTask($"writing {Path.GetFileName(path)}", maxValue: estimate);
                    ProgressTask? checking = null;
                    Run(new SyncProgress(bytes => writing.Value = Math.Min(bytes, estimate)), () =>
                    {
                        writing.Value = estimate;
                        writing.StopTask();
                        if (!result.GetValue(noVerify)) checking = context.AddTask("verifying").IsIndeterminate();
                    });
                    if (checking is not null)
                    {
                        checking.IsIndeterminate = false;
                        checking.Value = checking.MaxValue;
                        checking.StopTask();
                    }
                });
            else Run(null, null);
            foreach (var line in lines) Console.WriteLine(line);
            if (emitted is not null)
                Console.WriteLine($"wrote {files[written].Path} and {files[written + 1].Path}: TorchSharp module {emitted.Namespace}.{emitted.ClassName} and its weights");
            if (target == ConversionTarget.KerasWeights)
                Console.WriteLine($"wrote {files[0].Path}: the architecture{(written > 2 ? $", and {written - 2} shards of weights beside {path}" : "")}");
            Console.WriteLine($"wrote {path}: {targetName}, {new FileInfo(path).Length:N0} bytes, {parameters:N0} parameters, {clock.Elapsed.TotalSeconds:F2} s");
            return exitCode;
        }));
        return command;
    }

    /// <summary><see cref="ModelConverter.KerasWeightsFiles"/>, with its argument problems as usage errors.</summary>
    static List<OutputFile> KerasWeightsFiles(ModelDescription description, string path, long? shardBytes)
    {
        try
        {
            return [.. ModelConverter.KerasWeightsFiles(description, path, shardBytes)];
        }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>
    /// How the source and the converted model are built for the comparison: with one fixed thread count, since outputs
    /// computed on different team sizes may differ in the last bits, and the comparison demands 0.
    /// </summary>
    static KerasModelOptions Comparable => new() { Threads = IntraOpThreads.FromEnvironment() ?? Environment.ProcessorCount };

    /// <summary>Models whose weights reach this size get a progress bar (on a terminal).</summary>
    const long ProgressBytes = 32L << 20;

    /// <summary>Reports progress synchronously (System.Progress posts to the thread pool, too late for the bar).</summary>
    sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>
    /// The largest difference an ONNX export may show against KerasPort on the seeded inputs: ONNX Runtime's kernels
    /// sum in another order than torch's, so float32 rounding differs (within the golden cases' own tolerances).
    /// </summary>
    internal const double OnnxTolerance = 1e-3;

    /// <summary>
    /// Runs the source and the file just written on the same inputs: seeded ones with free dimensions of 8, then of 32
    /// (fully convolutional models need room for their kernels), then zeros (e.g. when seeded token ids exceed a
    /// CategoryEncoding's classes), whichever the source model accepts first. Returns the largest absolute difference
    /// of any output (NaN where only one side is NaN), or null with <paramref name="skipped"/> set when the source
    /// rejects them all; <paramref name="used"/> says which inputs were compared.
    /// An ONNX <paramref name="target"/> runs with ONNX Runtime, every other with KerasPort.
    /// </summary>
    internal static double? MaxAbsDifference(KerasModel original, string convertedPath, ConversionTarget target, out string? skipped, out string used)
    {
        var attempts = new (string Label, Func<IReadOnlyDictionary<string, NdArray>> Make)[]
        {
            ("seeded inputs", () => ReferenceInputs.Generate(original.Description, batch: 2, freeSize: 8, seed: 0)),
            ("seeded inputs (free dimensions 32)", () => ReferenceInputs.Generate(original.Description, batch: 2, freeSize: 32, seed: 0)),
            ("zero inputs", () => ReferenceInputs.Generate(original.Description, batch: 2, freeSize: 32, seed: 0).ToDictionary(kv => kv.Key,
                kv => new NdArray(kv.Value.DType, kv.Value.Shape, Array.CreateInstance(NdArray.ElementTypeOf(kv.Value.DType), kv.Value.Length)))),
        };
        skipped = null;
        used = "";
        IReadOnlyDictionary<string, NdArray>? inputs = null;
        ModelOutputs? expected = null;
        foreach (var (label, make) in attempts)
        {
            inputs = make();
            try
            {
                expected = original.Predict(inputs);
                used = label;
                break;
            }
            catch (KerasPortException e) { skipped = e.Message.Split('\n')[0]; }
        }
        if (expected is null || inputs is null) return null;
        skipped = null;
        IReadOnlyDictionary<string, NdArray> actual;
        if (target == ConversionTarget.Onnx)
        {
            using var session = new OnnxModelRunner(convertedPath);
            actual = session.Run(inputs);
        }
        else
        {
            using var converted = target == ConversionTarget.KerasWeights
                ? KerasModel.Load(ModelConverter.ArchitecturePath(convertedPath), convertedPath, Comparable) : KerasModel.Load(convertedPath, Comparable);
            actual = converted.Predict(inputs);
        }
        double worst = 0;
        foreach (var name in expected.Keys)
        {
            var (a, b) = (expected[name], actual[name]);
            if (!a.Shape.SequenceEqual(b.Shape)) return double.PositiveInfinity;
            var (x, y) = (a.ToDoubles(), b.ToDoubles());
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i]) && double.IsNaN(y[i])) continue;
                var d = Math.Abs(x[i] - y[i]);
                if (double.IsNaN(d) || d > worst) worst = double.IsNaN(d) ? double.NaN : d;
                if (double.IsNaN(worst)) return worst;
            }
        }
        return worst;
    }
}
