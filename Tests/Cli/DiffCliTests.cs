using KerasPort.Tests.Reference;

namespace KerasPort.Tests.Cli;

/// <summary><c>kerasport diff</c> and <c>kerasport reference</c> as users run them (the Python side is the FakeKerasWorker test double).</summary>
public sealed class DiffCliTests
{
    static readonly string Embedding = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");

    [Fact]
    public void DiffAgainstAGoldenCasePrintsEveryLayerAndPasses()
    {
        var (exitCode, output) = CliTests.Run("diff", Path.Combine(Embedding, "model.keras"), "--case", Embedding);
        Assert.Equal(0, exitCode);
        foreach (var key in new[] { "out/embedding/0", "out/flatten/0", "out/dense/0", "final/0" }) Assert.Contains(key, output);
        Assert.Contains("max abs err", output);
        Assert.Contains("all 4 outputs match Keras", output);
    }

    [Fact]
    public void DiffNamesTheFirstDivergentLayerAndFails()
    {
        var scratch = Directory.CreateTempSubdirectory("kerasport-diff-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Embedding)) File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)));
            // Keras's recorded flatten output and everything after it disagree with the model: flatten is first.
            var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz")).ToDictionary();
            foreach (var key in new[] { "out/flatten/0", "out/dense/0", "final/0" })
                io[key] = NdArray.Of(io[key].ToFloats().Select(v => v * 1.1f + 0.01f).ToArray(), io[key].Shape);
            NpzArchive.Write(Path.Combine(scratch, "io.npz"), io);
            var html = Path.Combine(scratch, "report.html");
            var (exitCode, output) = CliTests.Run("diff", Path.Combine(scratch, "model.keras"), "--case", scratch, "--html", html);
            Assert.Equal(1, exitCode);
            Assert.Contains("FIRST DIVERGENCE", output);
            Assert.Contains("first divergent layer: flatten (Flatten) at out/flatten/0", output);
            var report = File.ReadAllText(html);
            Assert.Contains("first divergent layer: flatten", report);
            Assert.Equal(2, report.Split("src=\"data:image/png;base64,").Length - 1); // error per layer + histogram
            Assert.DoesNotContain("<script", report);
        }
        finally { Directory.Delete(scratch, true); }
    }

    [Fact]
    public void DiffNeedsAReference()
    {
        var (exitCode, output) = CliTests.Run("diff", Path.Combine(Embedding, "model.keras"));
        Assert.Equal(2, exitCode);
        Assert.Contains("--reference python or --case", output);
    }

    [SkippableFact]
    public void DiffAgainstTheWorkerUsesItsLayerOutputs()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in for Python is a POSIX shell script");
        var scratch = Directory.CreateTempSubdirectory("kerasport-diff-").FullName;
        try
        {
            var python = FakeWorker.PythonStandIn(scratch, Embedding);
            var (exitCode, output) = CliTests.Run("diff", Path.Combine(Embedding, "model.keras"), "--reference", "python",
                "--python", python, "--input", Path.Combine(Embedding, "io.npz"));
            Assert.True(exitCode == 0, output);
            Assert.Contains("FakeKerasWorker test double", output);
            Assert.Contains("all 4 outputs match Keras", output);
        }
        finally { Directory.Delete(scratch, true); }
    }

    [SkippableFact]
    public void DiffListsLayersKerasGaveNoOutputsForAndFailsUnlessFinalOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in for Python is a POSIX shell script");
        var scratch = Directory.CreateTempSubdirectory("kerasport-diff-").FullName;
        try
        {
            var canned = Path.Combine(scratch, "canned");
            Directory.CreateDirectory(canned);
            foreach (var file in Directory.GetFiles(Embedding)) File.Copy(file, Path.Combine(canned, Path.GetFileName(file)));
            var io = NpzArchive.Read(Path.Combine(Embedding, "io.npz")).ToDictionary();
            io.Remove("out/flatten/0"); // the reference answers without the flatten layer's output
            NpzArchive.Write(Path.Combine(canned, "io.npz"), io);
            var python = FakeWorker.PythonStandIn(scratch, canned);
            string[] diff = ["diff", Path.Combine(Embedding, "model.keras"), "--reference", "python", "--python", python,
                "--python-host", "worker", "--input", Path.Combine(Embedding, "io.npz")];

            var (exitCode, output) = CliTests.Run(diff);
            Assert.True(exitCode == 1, output);
            Assert.Contains("python host: worker process", output);
            Assert.Contains("not compared: flatten (Flatten): the reference Keras returned no output for this layer call", output);
            Assert.Contains("all 3 outputs match Keras", output);
            Assert.Contains("but 1 layer calls were NOT compared", output);

            var (finalExit, finalOutput) = CliTests.Run([.. diff, "--final-only"]);
            Assert.True(finalExit == 0, finalOutput);
            Assert.Contains("all 1 outputs match Keras within atol=1E-05, rtol=0.0001 (model outputs only, as --final-only asked", finalOutput);
        }
        finally { Directory.Delete(scratch, true); }
    }

    [SkippableFact]
    public void ReferenceWritesACaseThatVerifyReads()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in for Python is a POSIX shell script");
        var scratch = Directory.CreateTempSubdirectory("kerasport-reference-").FullName;
        try
        {
            var python = FakeWorker.PythonStandIn(scratch, Embedding);
            var caseDirectory = Path.Combine(scratch, "mycase");
            // No --input: KerasPort generates token ids below the Embedding's input_dim (20).
            var (exitCode, output) = CliTests.Run("reference", Path.Combine(Embedding, "model.keras"), "--out", caseDirectory, "--python", python);
            Assert.True(exitCode == 0, output);
            var sent = NpzArchive.Read(Path.Combine(caseDirectory, "received-inputs.npz"))["tokens"];
            Assert.Equal(DType.Int32, sent.DType);
            Assert.All(sent.ToDoubles(), t => Assert.InRange(t, 0, 19));
            var (verifyExit, verifyOutput) = CliTests.Run("verify", caseDirectory, "--formats", "keras");
            Assert.True(verifyExit == 0, verifyOutput);
        }
        finally { Directory.Delete(scratch, true); }
    }
}
