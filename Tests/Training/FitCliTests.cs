using System.Globalization;
using KerasPort.Tests.Cli;

namespace KerasPort.Tests.Training;

/// <summary><c>kerasport fit</c> as users run it.</summary>
public sealed class FitCliTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("kerasport-fitcli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SkippableFact]
    public void FitPrintsKerasEpochLogsAndSavesAReloadableModel()
    {
        var golden = TrainingCase.Load("c03_mlp_adam_cce_accuracy");
        var output = Path.Combine(folder, "tuned.keras");
        var (exitCode, text) = CliTests.Run("fit", golden.ModelPath("keras"), "--data", Path.Combine(golden.Directory, "data.npz"),
            "--epochs", "3", "--batch-size", "8", "--no-shuffle", "-o", output);
        Assert.True(exitCode == 0, text);
        var lines = text.TrimEnd().Split('\n');
        var losses = golden.History["loss"]!.AsArray().Select(v => ((double)v!).ToString("0.0000", CultureInfo.InvariantCulture)).ToArray();
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Contains(lines, l => l.StartsWith($"Epoch {epoch + 1}/3 - 4/4 - ", StringComparison.Ordinal) && l.Contains($"loss: {losses[epoch]}"));
        Assert.StartsWith($"wrote {output}: 3 epochs, loss: {losses[2]}", lines[^1]);
        using var tuned = KerasModel.Load(output);
        Assert.NotNull(tuned.Description.CompileConfig);
        Assert.Equal(12, tuned.Description.OptimizerState!.Variables[0].ToDoubles()[0]);
    }

    [Fact]
    public void FitOfAnUncompiledModelAsksForOptimizerAndLoss()
    {
        var fixture = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");
        var (exitCode, text) = CliTests.Run("fit", Path.Combine(fixture, "model.keras"), "--data", Path.Combine(fixture, "io.npz"), "-o", Path.Combine(folder, "x.keras"));
        Assert.Equal(2, exitCode);
        Assert.Contains("pass --optimizer and --loss", text);
    }
}
