using System.Diagnostics;
using System.Text.RegularExpressions;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Cli;

/// <summary>The <c>kerasport</c> command as users run it: a separate process, plain output, exit codes.</summary>
public sealed class CliTests
{
    static readonly string Fixtures = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden");

    /// <summary>Runs <c>kerasport ARGS</c> as a separate process; returns its exit code and its stdout followed by its stderr.</summary>
    internal static (int ExitCode, string Output) Run(params string[] args) => Run(TimeSpan.FromMinutes(2), args);

    /// <summary>Runs kerasport, allowing it <paramref name="limit"/> (commands that start Python import torch).</summary>
    internal static (int ExitCode, string Output) Run(TimeSpan limit, params string[] args)
    {
        var (exitCode, stdout, stderr) = RunSeparately(limit, args);
        return (exitCode, stdout + stderr);
    }

    /// <summary>Runs <c>kerasport ARGS</c> as a separate process; returns its exit code, its stdout and its stderr.</summary>
    internal static (int ExitCode, string Stdout, string Stderr) RunSeparately(params string[] args) => RunSeparately(TimeSpan.FromMinutes(2), args);

    static (int ExitCode, string Stdout, string Stderr) RunSeparately(TimeSpan limit, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kerasport.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(limit), "kerasport did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void VerifyFixturesPassesAndEndsWithTheCountLine()
    {
        // One family: all of Fixtures/golden (312 checks, full-size app_configs among them) can outlast Run's 2 minutes on
        // a loaded machine; GoldenParityTests checks every bundled case in process.
        var (exitCode, output) = Run("verify", Path.Combine(Fixtures, "core"));
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+ passed, 0 failed, 0 unsupported$", lines[^1]);
        Assert.Equal(lines.Length - 1, lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)));
    }

    [Fact]
    public void VerifyWritesAJsonReportForTheChosenFormats()
    {
        var report = Path.GetTempFileName();
        try
        {
            var (exitCode, output) = Run("verify", Path.Combine(Fixtures, "core", "embedding"), "--formats", "keras,legacy", "--json", report);
            Assert.Equal(0, exitCode);
            Assert.EndsWith("2 passed, 0 failed, 0 unsupported", output.TrimEnd());
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!.AsArray();
            Assert.Equal(["keras", "legacy"], json.Select(r => (string)r!["format"]!));
        }
        finally { File.Delete(report); }
    }

    [Fact]
    public void VerifyExitsNonZeroWhenSomethingFails()
    {
        var scratch = Directory.CreateTempSubdirectory("kerasport-verify-").FullName;
        try
        {
            // A case whose recorded outputs disagree with its model: copy one and swap in another case's io.npz.
            var source = Path.Combine(Fixtures, "core", "embedding");
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)));
            var io = NpzArchive.Read(Path.Combine(source, "io.npz")).ToDictionary();
            io["final/0"] = NdArray.Of(io["final/0"].ToFloats().Select(v => v + 1).ToArray(), io["final/0"].Shape);
            NpzArchive.Write(Path.Combine(scratch, "io.npz"), io);
            var (exitCode, output) = Run("verify", scratch, "--formats", "keras");
            Assert.Equal(1, exitCode);
            Assert.Contains("FAIL", output);
            Assert.Contains("final/0", output);
            Assert.EndsWith("0 passed, 1 failed, 0 unsupported", output.TrimEnd());
        }
        finally { Directory.Delete(scratch, true); }
    }

    [Fact]
    public void SummaryPrintsKerasTotals()
    {
        var goldenCase = GoldenCase.Load(Path.Combine(Fixtures, "core", "dense_3d_nobias"));
        var (exitCode, output) = Run("summary", goldenCase.PathOf("model.h5"));
        Assert.Equal(0, exitCode);
        Assert.Contains($"Total params: {goldenCase.Params!.Total:N0}", output);
        Assert.Contains($"Trainable params: {goldenCase.Params.Trainable:N0}", output);
        Assert.Contains($"Non-trainable params: {goldenCase.Params.NonTrainable:N0}", output);
        Assert.Contains("dense_nobias (Dense)", output);
    }

    /// <summary>A quantized or LoRA layer's row names how Keras stores it, and the totals are Keras's (case.json).</summary>
    [SkippableTheory]
    [InlineData("keras3/quantized_int8_dense", "model.keras", "dense_bias (Dense, int8_from_float32)")]
    [InlineData("keras3/quantized_int4_dense", "model.h5", "dense_grouped (Dense, int4/128_from_float32)")]
    [InlineData("keras3/lora_dense", "model.h5", "einsum_lora (EinsumDense, lora rank 2, alpha 4)")]
    public void SummaryShowsHowEachLayerIsQuantized(string caseDir, string file, string row)
    {
        var goldenCase = GoldenCase.Load(SharedData.GoldenPath(caseDir));
        var (exitCode, output) = Run("summary", goldenCase.PathOf(file));
        Assert.Equal(0, exitCode);
        Assert.Contains(row, output);
        Assert.Contains($"Total params: {goldenCase.Params!.Total:N0}", output);
        Assert.Contains($"Non-trainable params: {goldenCase.Params.NonTrainable:N0}", output);
    }

    [Fact]
    public void PredictWritesOutputsThatMatchKeras()
    {
        var goldenCase = GoldenCase.Load(Path.Combine(Fixtures, "core", "dense_3d_nobias"));
        var output = Path.Combine(Path.GetTempPath(), $"kerasport-predict-{Guid.NewGuid():N}.npz");
        try
        {
            var (exitCode, text) = Run("predict", goldenCase.PathOf("model.json"), "--weights", goldenCase.PathOf("model.legacy-weights.h5"),
                "--input", goldenCase.PathOf("io.npz"), "--output", output);
            Assert.True(exitCode == 0, text);
            var io = NpzArchive.Read(goldenCase.PathOf("io.npz"));
            var predicted = NpzArchive.Read(output).Values.ToList();
            Assert.Equal(goldenCase.OutputKeys.Count, predicted.Count);
            for (int k = 0; k < predicted.Count; k++)
                Assert.True(ParityRunner.Compare($"final/{k}", predicted[k], io[$"final/{k}"], goldenCase.Tolerance).Passed);
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void BadInputIsOneClearLineAndExitCodeTwo()
    {
        var (exitCode, output) = Run("summary", "/nonexistent/model.keras");
        Assert.Equal(2, exitCode);
        Assert.Contains("/nonexistent/model.keras: file not found", output);
        Assert.DoesNotContain("   at ", output);
    }

    /// <summary>A smoke run of the benchmark: its lines and parameter counts, never its timings (timing targets live in the benchmark).</summary>
    [Fact]
    public void BenchPrintsGreppableLinesForModelAndBaseline()
    {
        var (exitCode, output) = Run("bench", "--builtin", "lstm", "--baseline", "lstm", "--batch", "2", "--iterations", "1", "--warmup", "0", "--warmup-seconds", "0", "--threads", "1");
        Assert.Equal(0, exitCode);
        Assert.Contains("device cpu  threads 1", output);
        // Embedding 10000x32, LSTM(128) with Keras's one bias or torch's two, Dense(1).
        Assert.Contains("params kerasport 402,561", output);
        Assert.Contains("params baseline  403,073", output);
        Assert.Matches(@"(?m)^kerasport  batch=2  median [\d.]+ ms  p90 [\d.]+ ms  cpu [\d.]+ ms  throughput [\d.]+ samples/s$", output);
        Assert.Matches(@"(?m)^baseline   batch=2  median [\d.]+ ms", output);
        Assert.Matches(@"(?m)^ratio      batch=2  kerasport/baseline = [\d.]+x  \(p90 [\d.]+x, cpu [\d.]+x\)$", output);
        Assert.Contains("ort    onnxruntime 1.31.1, KerasPort's ONNX export (opset 17), intra-op threads 1", output);
        Assert.Matches(@"(?m)^ort        batch=2  median [\d.]+ ms  p90 [\d.]+ ms  cpu [\d.]+ ms  throughput [\d.]+ samples/s$", output);
        Assert.Matches(@"(?m)^ratio      batch=2  kerasport/ort = [\d.]+x  \(p90 [\d.]+x, cpu [\d.]+x\)$", output);
    }

    /// <summary><c>bench --contention K</c> runs K busy processes for the run and stops them at its end (lines only, never timings).</summary>
    [Fact]
    public void BenchUnderContentionStartsAndStopsItsBusyProcesses()
    {
        var (exitCode, output) = Run("bench", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.keras"),
            "--batch", "1", "--iterations", "2", "--warmup", "0", "--warmup-seconds", "0", "--no-ort", "--contention", "2");
        Assert.Equal(0, exitCode);
        var pids = Regex.Match(output, @"(?m)^contention 2 busy processes \(one spinning thread each, pids (\d+) (\d+)\)$");
        Assert.True(pids.Success, output);
        Assert.Matches(@"(?m)^kerasport  batch=1  median [\d.]+ ms", output);
        foreach (var pid in pids.Groups.Values.Skip(1).Select(g => int.Parse(g.Value)))
            Assert.True(IsGone(pid), $"busy process {pid} still runs after the bench");
    }

    /// <summary>
    /// <c>bench --concurrency K</c> calls each subject from K threads at once; with the default threads it says how the
    /// calls split between one thread and a team (lines and counts only, never timings).
    /// </summary>
    [Fact]
    public void BenchCallsEachSubjectConcurrentlyAndReportsTheThreadChoices()
    {
        var (exitCode, output) = Run("bench", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.keras"),
            "--batch", "1", "--iterations", "3", "--warmup", "1", "--warmup-seconds", "0", "--concurrency", "2");
        Assert.Equal(0, exitCode);
        Assert.Contains("concurrency 2 callers per subject, at once", output);
        Assert.Contains("threads auto", output);
        Assert.Contains("intra-op threads default", output);
        // 2 callers × (1 warm-up + 3 timed calls).
        Assert.Matches(@"(?m)^threads    batch=1  1 thread in \d+ of 8 calls, a team in \d+$", output);
        Assert.Matches(@"(?m)^kerasport  batch=1  median [\d.]+ ms  p90 [\d.]+ ms  throughput [\d.]+ samples/s$", output);
        Assert.Matches(@"(?m)^ratio      batch=1  kerasport/ort = [\d.]+x", output);
    }

    static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException) { return true; }
    }

    /// <summary>
    /// The transformer block's hand-written baseline carries the model's own 600 weights, and <c>--profile</c> prints the
    /// plan's steps beside ONNX Runtime's operators (lines and counts only, never timings).
    /// </summary>
    [Fact]
    public void BenchProfilesThePlanAndOnnxRuntimeBesideTheTransformerBaseline()
    {
        var (exitCode, output) = Run("bench", "--builtin", "transformer", "--baseline", "transformer", "--batch", "2",
            "--iterations", "1", "--warmup", "0", "--warmup-seconds", "0", "--threads", "1", "--profile");
        Assert.Equal(0, exitCode);
        Assert.Contains("params kerasport 600", output);
        Assert.Contains("params baseline  600", output);
        Assert.Matches(@"(?m)^ratio      batch=2  kerasport/baseline = [\d.]+x", output);
        // Seven plan steps: the Dropout runs none, the attention and each LayerNormalization, Dense and Add one.
        Assert.Matches(@"(?m)^profile    batch=2  MultiHeadAttention +steps +1 ", output);
        Assert.Matches(@"(?m)^profile    batch=2  sum of 7 plan steps ", output);
        Assert.Matches(@"(?m)^ort-profile batch=2  \w+ +nodes +\d+ ", output);
        Assert.Matches(@"(?m)^ort-profile batch=2  sum of node kernel times [\d.]+ ms per pass", output);
    }
}
