using System.IO.Compression;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Converters;

/// <summary>
/// Keras 3 files as <c>model.save('model', zipped=False)</c> and <c>save_weights('model.weights.json', max_shard_size=...)</c>
/// write them (the committed golden cases keras3/unzipped_keras_dir and keras3/sharded_weights, made by Keras 3.15.1):
/// each loads through the public API and the CLI, and reproduces every layer output Keras recorded in io.npz.
/// </summary>
public sealed class KerasFolderAndShardsTests : IDisposable
{
    static readonly string Unzipped = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3", "unzipped_keras_dir");
    static readonly string Sharded = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3", "sharded_weights");
    readonly string scratch = Directory.CreateTempSubdirectory("kerasport-folder-shards-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static void AssertMatchesKeras(KerasModel model, string caseFolder)
    {
        var report = LayerDiff.Run(model, GoldenCase.Load(caseFolder));
        Assert.True(report.Passed, report.FirstDivergent?.ToString());
        Assert.Contains(report.Rows, r => r.Key == "final/0");
    }

    [Fact]
    public void AnUnzippedKerasFolderLoadsAndMatchesKeras()
    {
        Assert.Equal(ModelFileFormat.KerasDirectory, KerasModelReader.DetectFormat(Path.Combine(Unzipped, "model")));
        using var model = KerasModel.Load(Path.Combine(Unzipped, "model"));
        AssertMatchesKeras(model, Unzipped);
        // The same folder named with a trailing separator.
        using var again = KerasModel.Load(Path.Combine(Unzipped, "model") + Path.DirectorySeparatorChar);
        AssertMatchesKeras(again, Unzipped);
    }

    [Fact]
    public void ShardedWeightsLoadWithTheirArchitectureAndMatchKeras()
    {
        var index = Path.Combine(Sharded, "model.weights.json");
        Assert.Equal(ModelFileFormat.ShardedKeras3Weights, KerasModelReader.DetectFormat(index));
        using var model = KerasModel.Load(Path.Combine(Sharded, "model.json"), index);
        AssertMatchesKeras(model, Sharded);
        // dense_1's kernel and bias sit in different shards (case.json sharded_weights): both arrive.
        Assert.Equal([[24, 24], [24]], model.Description.Layers.Single(l => l.Name == "dense_2").Weights.Select(w => w.Value.Shape.ToArray()));
    }

    /// <summary>
    /// A folder with <c>config.json</c> and sharded weights (<c>model.weights.json</c> and its shards, no
    /// <c>model.weights.h5</c>), as a KerasHub preset folder may hold them, loads like the unzipped folder.
    /// </summary>
    [Fact]
    public void AFolderWithShardedWeightsLoadsAndMatchesKeras()
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "preset")).FullName;
        using (var archive = ZipFile.OpenRead(Path.Combine(Sharded, "model.keras")))
            archive.GetEntry("config.json")!.ExtractToFile(Path.Combine(folder, "config.json"));
        foreach (var file in Directory.GetFiles(Sharded, "model*.weights.*").Where(f => !f.EndsWith("model.weights.h5", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        using var model = KerasModel.Load(folder);
        AssertMatchesKeras(model, Sharded);
    }

    [Fact]
    public void AFolderThatIsNeitherKerasNorSavedModelIsRefusedNamingBoth()
    {
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(scratch));
        Assert.Equal(scratch, error.FilePath);
        Assert.Contains("unzipped .keras folder (config.json + model.weights.h5", error.Message);
        Assert.Contains("SavedModel (saved_model.pb)", error.Message);
    }

    [Fact]
    public void AnUnzippedFolderWithoutWeightsIsRefusedNamingTheMissingFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "model")).FullName;
        File.Copy(Path.Combine(Unzipped, "model", "config.json"), Path.Combine(folder, "config.json"));
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(folder));
        Assert.Equal("model.weights.h5", error.Part);
    }

    [Fact]
    public void AShardedIndexIsNoModelAndGoesOnlyWithAnArchitecture()
    {
        var index = Path.Combine(Sharded, "model.weights.json");
        Assert.Contains("pass this file as the weights", Assert.Throws<ModelFileException>(() => KerasModelReader.Load(index)).Message);
        Assert.Contains("a separate weights file goes with a JSON/YAML architecture",
            Assert.Throws<ModelFileException>(() => KerasModelReader.Load(Path.Combine(Sharded, "model.keras"), index)).Message);
    }

    [Fact]
    public void TheCliSummarizesAndPredictsFromAFolderAndFromShards()
    {
        var (exitCode, text) = Cli.CliTests.Run("summary", Path.Combine(Unzipped, "model"));
        Assert.True(exitCode == 0, text);
        Assert.Contains("Total params: 113", text); // case.json params.total, Keras's count
        (exitCode, text) = Cli.CliTests.Run("summary", Path.Combine(Sharded, "model.json"), "--weights", Path.Combine(Sharded, "model.weights.json"));
        Assert.True(exitCode == 0, text);
        Assert.Contains("Total params: 1,571", text);
        var output = Path.Combine(scratch, "out.npz");
        (exitCode, text) = Cli.CliTests.Run("predict", Path.Combine(Unzipped, "model"), "--input", Path.Combine(Unzipped, "io.npz"), "--output", output);
        Assert.True(exitCode == 0, text);
        var golden = GoldenCase.Load(Unzipped);
        var expected = NpzArchive.Read(golden.PathOf("io.npz"))["final/0"];
        var actual = NpzArchive.Read(output).Values.Single();
        Assert.True(ParityRunner.Compare("final/0", actual, expected, golden.Tolerance).Passed);
    }

    [Fact]
    public void VerifyChecksTheExtraFormatsOfEachCase()
    {
        var (exitCode, text) = Cli.CliTests.Run("verify", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3"), "--formats", "keras-dir,sharded");
        Assert.True(exitCode == 0, text);
        Assert.Contains("PASS  keras3/unzipped_keras_dir [keras-dir]", text);
        Assert.Contains("PASS  keras3/sharded_weights [sharded]", text);
        Assert.EndsWith("2 passed, 0 failed, 0 unsupported", text.TrimEnd());
    }
}
