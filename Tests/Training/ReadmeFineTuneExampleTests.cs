namespace KerasPort.Tests.Training;

/// <summary>The README's fine-tuning example compiles (it is ReadmeFineTuneExample.cs), appears verbatim in README.md, and works.</summary>
public sealed class ReadmeFineTuneExampleTests
{
    [Fact]
    public void ReadmeShowsTheCompiledExample()
    {
        var source = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "Training", "ReadmeFineTuneExample.cs"));
        int begin = Array.FindIndex(source, l => l.Contains("README:begin", StringComparison.Ordinal));
        int end = Array.FindIndex(source, l => l.Contains("README:end", StringComparison.Ordinal));
        var snippet = string.Join("\n", source[(begin + 1)..end].Select(l => l[8..]));
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")).Replace("\r\n", "\n");
        Assert.Contains(snippet, readme);
    }

    [SkippableFact]
    public void ReadmeExampleTrainsAsKerasDoes()
    {
        var golden = TrainingCase.Load("c03_mlp_adam_cce_accuracy");
        var saved = Path.GetFullPath("tuned.keras");
        try
        {
            var history = ReadmeFineTuneExample.Run(golden.ModelPath("keras"), golden.Data["x"], golden.Data["y"], golden.Data["x"], golden.Data["y"]);
            var (atol, rtol) = golden.Tolerance("loss_tolerance");
            var keras = golden.History["loss"]!.AsArray().Select(v => (double)v!).ToArray();
            for (int epoch = 0; epoch < keras.Length; epoch++)
                Assert.Null(Close.Check($"loss[{epoch}]", keras[epoch], history.Values["loss"][epoch], atol, rtol));
            Assert.True(File.Exists(saved));
        }
        finally
        {
            File.Delete(saved);
        }
    }
}
