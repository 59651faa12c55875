using KerasPort.Converters.Keras;

namespace KerasPort.Tests.Cli;

/// <summary>
/// The CLI's error conventions: a user mistake, in any command, is exactly one line on stderr that names the argument
/// at fault, and exit code 2; a usage mistake adds a hint to the command's help instead of printing the help itself.
/// </summary>
public sealed class CliConventionTests
{
    static readonly string Embedding = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");
    static string Keras => Path.Combine(Embedding, "model.keras");
    static string Io => Path.Combine(Embedding, "io.npz");
    static readonly string Missing = Path.Combine(Path.GetTempPath(), "kerasport-no-such-folder", "sub");
    static string InTemp(string name) => Path.Combine(Path.GetTempPath(), $"kerasport-cli-{Guid.NewGuid():N}-{name}");

    /// <summary>Each mistake with the text its one error line must hold (the argument it names) and the command its hint points to.</summary>
    public static TheoryData<string, string, string[]> Mistakes() => new()
    {
        { "--output " + Path.Combine(Missing, "out.npz") + ": folder", "predict", ["predict", Keras, "-i", Io, "-o", Path.Combine(Missing, "out.npz")] },
        { "--input", "predict", ["predict", Keras] },
        { "--input " + Path.Combine(Missing, "in.npz") + ": no such file", "predict", ["predict", Keras, "-i", Path.Combine(Missing, "in.npz"), "-o", InTemp("out.npz")] },
        { "--weights " + Path.Combine(Missing, "w.h5") + ": no such file", "predict", ["predict", Keras, "-w", Path.Combine(Missing, "w.h5"), "-i", Io, "-o", InTemp("out.npz")] },
        { "--output " + Path.GetTempPath().TrimEnd('/') + ": is a folder", "predict", ["predict", Keras, "-i", Io, "-o", Path.GetTempPath().TrimEnd('/')] },
        { "--formats pt: unknown format 'pt'", "verify", ["verify", Embedding, "--formats", "pt"] },
        { "dir " + Missing + ": no such folder", "verify", ["verify", Missing] },
        { "--json " + Path.Combine(Missing, "r.json"), "verify", ["verify", Embedding, "--json", Path.Combine(Missing, "r.json")] },
        { "--batch-size 0: expected a positive number", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--batch-size", "0"] },
        { "--validation-split 1.5: expected a fraction in [0, 1)", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--validation-split", "1.5"] },
        { "'abc' for option '--batch-size'", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--batch-size", "abc"] },
        { "--epochs 0", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--epochs", "0"] },
        { "--learning-rate -0.1", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--learning-rate", "-0.1"] },
        { "--data " + Path.Combine(Missing, "d.npz"), "fit", ["fit", Keras, "-d", Path.Combine(Missing, "d.npz"), "-o", InTemp("x.keras")] },
        { "--output " + Path.Combine(Missing, "x.keras"), "fit", ["fit", Keras, "-d", Io, "-o", Path.Combine(Missing, "x.keras")] },
        { "was saved uncompiled: pass --optimizer and --loss", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras")] },
        { "--loss needs --optimizer", "fit", ["fit", Keras, "-d", Io, "-o", InTemp("x.keras"), "--loss", "mse"] },
        { "--output " + Path.Combine(Missing, "m.kerasport"), "convert", ["convert", Keras, "-o", Path.Combine(Missing, "m.kerasport")] },
        { "--to", "convert", ["convert", Keras, "--to", "pt"] },
        { "--html " + Path.Combine(Missing, "r.html"), "diff", ["diff", Keras, "--case", Embedding, "--html", Path.Combine(Missing, "r.html")] },
        { "--case " + Missing + ": no such folder", "diff", ["diff", Keras, "--case", Missing] },
        { "--reference python or --case", "diff", ["diff", Keras] },
        { "--out " + Path.Combine(Missing, "case"), "reference", ["reference", Keras, "--out", Path.Combine(Missing, "case")] },
        { "--batch 0: expected comma-separated positive integers", "bench", ["bench", "--builtin", "lstm", "--batch", "0"] },
        { "--iterations 0", "bench", ["bench", "--builtin", "lstm", "--iterations", "0"] },
        { "--warmup -1", "bench", ["bench", "--builtin", "lstm", "--warmup", "-1"] },
        { "--builtin", "bench", ["bench", "--builtin", "vgg"] },
        { "a MODEL file or --builtin NAME", "bench", ["bench"] },
        { "frobnicate", "", ["frobnicate"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void AMistakeIsOneLineNamingTheArgumentAndExitCodeTwo(string named, string command, string[] args)
    {
        var (exitCode, stdout, stderr) = CliTests.RunSeparately(args);
        var line = AssertOneErrorLine(exitCode, stdout, stderr);
        Assert.Contains(named, line);
        Assert.EndsWith($"(see kerasport {command}{(command.Length > 0 ? " " : "")}--help)", line);
    }

    /// <summary>A verify folder that exists but holds no golden case is a mistake too, not "0 passed, 0 failed".</summary>
    [Fact]
    public void VerifyOfAFolderWithoutCasesIsAUsageError()
    {
        var empty = Directory.CreateTempSubdirectory("kerasport-verify-empty-").FullName;
        try
        {
            var (exitCode, stdout, stderr) = CliTests.RunSeparately("verify", empty);
            var line = AssertOneErrorLine(exitCode, stdout, stderr);
            Assert.Contains($"dir {empty}: no golden case", line);
            Assert.EndsWith("(see kerasport verify --help)", line);
        }
        finally { Directory.Delete(empty); }
    }

    /// <summary>Output folders are never created: the same refusal for every command, and nothing is left behind.</summary>
    [Fact]
    public void NoCommandCreatesAMissingOutputFolder()
    {
        CliTests.RunSeparately("predict", Keras, "-i", Io, "-o", Path.Combine(Missing, "out.npz"));
        CliTests.RunSeparately("convert", Keras, "-o", Path.Combine(Missing, "m.keras"), "--to", "keras");
        Assert.False(Directory.Exists(Path.GetDirectoryName(Missing)));
    }

    [Fact]
    public void PredictOnAnArchitectureOnlyFileAsksForWeights()
    {
        var (exitCode, stdout, stderr) = CliTests.RunSeparately("predict", Path.Combine(Embedding, "model.json"), "-i", Io, "-o", InTemp("out.npz"));
        var line = AssertOneErrorLine(exitCode, stdout, stderr);
        Assert.Contains("model.json holds an architecture without weights: pass --weights", line);
    }

    /// <summary>
    /// A real Keras layer that KerasPort lacks is told apart from a custom class (here: the embedding case's Flatten
    /// renamed, in its architecture file).
    /// </summary>
    [Theory]
    [InlineData("LocallyConnected2D", "'LocallyConnected2D' is a Keras layer KerasPort does not support yet")]
    [InlineData("MyCustomFlatten", "unknown/unregistered class 'MyCustomFlatten': not a Keras layer")]
    public void AnUnsupportedLayerSaysWhetherKerasHasIt(string className, string expected)
    {
        var architecture = InTemp("model.json");
        File.WriteAllText(architecture, File.ReadAllText(Path.Combine(Embedding, "model.json")).Replace("\"Flatten\"", $"\"{className}\""));
        try
        {
            var (exitCode, stdout, stderr) = CliTests.RunSeparately("summary", architecture);
            Assert.Contains(expected, AssertOneErrorLine(exitCode, stdout, stderr));
        }
        finally { File.Delete(architecture); }
    }

    /// <summary>Every layer class KerasPort runs is one of Keras's own (keras.ops nodes and keras_hub&gt; layers aside), so the list above misses none.</summary>
    [Fact]
    public void EveryRegisteredLayerIsAKerasLayer()
    {
        var outside = LayerRegistry.CreateDefault().ClassNames.Where(n => !n.StartsWith("ops.", StringComparison.Ordinal)
            && !n.StartsWith(KerasPort.KerasHub.KerasHubArchitectures.Package, StringComparison.Ordinal) && !KerasLayerNames.IsKerasLayer(n));
        Assert.Empty(outside);
    }

    static string AssertOneErrorLine(int exitCode, string stdout, string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 2, $"exit code {exitCode}; stderr: {stderr}; stdout: {stdout}");
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}: {stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("internal error", lines[0]);
        Assert.DoesNotContain("Usage:", stdout + stderr);
        return lines[0];
    }
}
