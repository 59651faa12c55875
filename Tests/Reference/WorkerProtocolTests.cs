using System.Diagnostics;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;

namespace KerasPort.Tests.Reference;

/// <summary>
/// The C# side of the Keras worker protocol, against FakeKerasWorker (canned arrays, no Keras), plus the real Python
/// worker's answer where Python lacks Keras, as on this project's machines.
/// </summary>
public sealed class WorkerProtocolTests
{
    static readonly string Embedding = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");

    static IReadOnlyDictionary<string, NdArray> CaseInputs() =>
        NpzArchive.Read(Path.Combine(Embedding, "io.npz")).Where(kv => kv.Key.StartsWith("in/", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[3..], kv => kv.Value);

    [Fact]
    public void LayerOutputsAndPredictComeBackThroughTheProtocol()
    {
        using var reference = PythonWorkerReference.Start(FakeWorker.Command(Embedding));
        Assert.Equal("none", reference.Info.KerasVersion);
        var model = reference.LoadModel(Path.Combine(Embedding, "model.keras"));
        Assert.Equal(["tokens"], model.InputNames);

        var outputs = reference.LayerOutputs(model, CaseInputs());
        Assert.Contains("out/dense/0", outputs.Arrays.Keys);
        Assert.Empty(outputs.NotCompared);
        using var runtime = KerasModel.Create(KerasModelReader.Load(Path.Combine(Embedding, "model.keras")));
        var diff = LayerDiff.Run(runtime, LayerDiff.CaseInputs(runtime.Description, CaseInputs(), "inputs"), outputs, Tolerance.Default);
        Assert.True(diff.PassedCompletely, diff.Describe());
        Assert.Equal(4, diff.Rows.Count);

        var final = Assert.Single(reference.Predict(model, CaseInputs()));
        Assert.Equal(outputs.Arrays["final/0"].ToFloats(), final.ToFloats());
    }

    [Fact]
    public void WriteGoldenCaseSendsTheInputsIntact()
    {
        var directory = Directory.CreateTempSubdirectory("kerasport-case-").FullName;
        try
        {
            using var reference = PythonWorkerReference.Start(FakeWorker.Command(Embedding));
            var model = reference.LoadModel(Path.Combine(Embedding, "model.keras"));
            var files = reference.WriteGoldenCase(model, CaseInputs(), directory);
            Assert.Contains("case.json", files);
            var received = NpzArchive.Read(Path.Combine(directory, "received-inputs.npz"));
            Assert.Equal(CaseInputs()["tokens"].ToDoubles(), received["tokens"].ToDoubles());
        }
        finally { Directory.Delete(directory, true); }
    }

    [Fact]
    public void WorkerErrorsBecomeKerasReferenceExceptions()
    {
        using var reference = PythonWorkerReference.Start(FakeWorker.Command(Embedding));
        var error = Assert.Throws<KerasReferenceException>(() => reference.LoadModel("/no/such/model.keras"));
        Assert.Contains("Keras failed 'load'", error.Message);
        Assert.Contains("/no/such/model.keras", error.Message);
        // The worker is still usable after a failed request.
        Assert.Equal("m1", reference.LoadModel(Path.Combine(Embedding, "model.keras")).Id);
    }

    [Fact]
    public void MissingKerasSaysWhatToInstall()
    {
        var canned = Directory.CreateTempSubdirectory("kerasport-canned-").FullName;
        try
        {
            File.Copy(Path.Combine(Embedding, "io.npz"), Path.Combine(canned, "io.npz"));
            File.WriteAllText(Path.Combine(canned, "missing-modules.txt"), "keras, h5py");
            var error = Assert.Throws<KerasReferenceException>(() => PythonWorkerReference.Start(FakeWorker.Command(canned)));
            Assert.Contains("cannot import keras, h5py", error.Message);
            Assert.Contains("pip install keras numpy h5py", error.Message);
            Assert.Contains("torch, tensorflow or jax", error.Message);
        }
        finally { Directory.Delete(canned, true); }
    }

    [Fact]
    public void MissingPythonNamesTheWaysToGiveOne()
    {
        var error = Assert.Throws<KerasReferenceException>(() => PythonWorkerReference.Start("/no/such/python3"));
        Assert.Contains("--python", error.Message);
        Assert.Contains(WorkerCommand.PythonVariable, error.Message);
    }

    [Fact]
    public void AWorkerThatDoesNotSpeakTheProtocolIsReported()
    {
        var error = Assert.Throws<KerasReferenceException>(() => PythonWorkerReference.Start(new WorkerCommand("dotnet", ["--version"], "dotnet --version")));
        // It prints its version (not JSON) and exits; depending on timing the client sees the line or the exit first.
        Assert.Matches("not protocol JSON|ended before answering", error.Message);
    }

    [Fact]
    public void PythonIsFoundFromTheOptionThenTheEnvironmentThenPython3()
    {
        Assert.Equal("/opt/py", WorkerCommand.ForPython("/opt/py").FileName);
        Assert.EndsWith(Path.Combine("python", "kerasport_worker.py"), WorkerCommand.ForPython("/opt/py").Arguments[^1]);
        Assert.True(File.Exists(WorkerCommand.WorkerScript), "the Python worker is copied beside KerasPort.Reference.dll");
        if (Environment.GetEnvironmentVariable(WorkerCommand.PythonVariable) is null)
            Assert.Equal("python3", WorkerCommand.ForPython().FileName);
    }

    /// <summary>The real worker script, where this machine's python3 lacks Keras (as on the project's machines and CI).</summary>
    [SkippableFact]
    public void RealWorkerWithoutKerasSaysWhatToInstall()
    {
        Skip.IfNot(CanRun("python3", "-c", "import sys"), "no python3 on PATH");
        Skip.If(CanRun("python3", "-c", "import keras, numpy, h5py"), "this python3 has Keras: the message for a missing Keras cannot be shown");
        var error = Assert.Throws<KerasReferenceException>(() => PythonWorkerReference.Start("python3"));
        Assert.Contains("pip install keras numpy h5py", error.Message);
    }

    static bool CanRun(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(60_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
