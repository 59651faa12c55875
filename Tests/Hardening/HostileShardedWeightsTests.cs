namespace KerasPort.Tests.Hardening;

/// <summary>
/// Issue 19 for the files a model names: the hostile indexes <c>hostile/sharded_*.weights.json</c> (made by
/// make_hostile.py from keras3/sharded_weights) beside that case's real shards, and unzipped <c>.keras</c> folders
/// whose files are links out. Each is refused with a typed error that names the file and the weight or path at fault,
/// and nothing outside the model's folder is read.
/// </summary>
public sealed class HostileShardedWeightsTests : IDisposable
{
    static readonly string Case = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3", "sharded_weights");
    static readonly string Unzipped = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3", "unzipped_keras_dir", "model");
    readonly string root = Directory.CreateTempSubdirectory("kerasport-hostile-shards-").FullName;

    /// <summary>The model's folder: the case's architecture and shards, and a secret shard beside the folder.</summary>
    string Folder => Path.Combine(root, "model");

    public HostileShardedWeightsTests()
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Path.Combine(root, "secret"));
        foreach (var file in Directory.GetFiles(Case, "model_*.weights.h5").Append(Path.Combine(Case, "model.json")))
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        File.Copy(Path.Combine(Case, "model_00000.weights.h5"), Path.Combine(root, "secret", "model_00000.weights.h5"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Loads the case's architecture with the hostile index <paramref name="name"/> placed in the model's folder.</summary>
    string PlaceIndex(string name)
    {
        var index = Path.Combine(Folder, "model.weights.json");
        File.Copy(Path.Combine(UntrustedFileTests.Hostile, $"sharded_{name}.weights.json"), index);
        return index;
    }

    T Refused<T>(string name) where T : Exception
    {
        var index = PlaceIndex(name);
        return Assert.Throws<T>(() => KerasModel.Load(Path.Combine(Folder, "model.json"), index));
    }

    [Theory]
    [InlineData("parent", "'..'")]
    [InlineData("absolute", "absolute")]
    public void AShardOutsideTheFolderIsRefused(string name, string words)
    {
        var error = Refused<UnsafeModelFileException>(name);
        Assert.Equal(Path.Combine(Folder, "model.weights.json"), error.FilePath);
        Assert.Contains(words, error.Message);
        Assert.Contains("leaves the model's folder", error.Message);
    }

    [SkippableFact]
    public void AShardLinkedOutOfTheFolderIsRefused()
    {
        Skip.IfNot(!OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var shard = Path.Combine(Folder, "model_00000.weights.h5");
        File.Delete(shard);
        File.CreateSymbolicLink(shard, Path.Combine(root, "secret", "model_00000.weights.h5"));
        File.Copy(Path.Combine(Case, "model.weights.json"), Path.Combine(Folder, "model.weights.json"));
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModel.Load(Path.Combine(Folder, "model.json"), Path.Combine(Folder, "model.weights.json")));
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal("model_00000.weights.h5", error.Part);
    }

    [Fact]
    public void AMissingShardIsNamed()
    {
        var error = Refused<ModelFileException>("missing_shard");
        Assert.Equal(Path.Combine(Folder, "model.weights.json"), error.FilePath);
        Assert.Contains("names shard 'model_00009.weights.h5', which is not in", error.Message);
    }

    [Fact]
    public void AWeightInTwoShardsIsRefusedNamingBoth()
    {
        File.Copy(Path.Combine(Folder, "model_00000.weights.h5"), Path.Combine(Folder, "model_00003.weights.h5"));
        var error = Refused<ModelFileException>("weight_twice");
        Assert.Equal(Path.Combine(Folder, "model_00003.weights.h5"), error.FilePath);
        Assert.Equal("layers/dense/vars/0", error.Part);
        Assert.Contains("also in model_00000.weights.h5", error.Message);
    }

    [Fact]
    public void AWeightInAShardItsGroupDoesNotListIsRefused()
    {
        var error = Refused<ModelFileException>("split_group_listed_once");
        Assert.Equal(Path.Combine(Folder, "model_00002.weights.h5"), error.FilePath);
        Assert.Equal("layers/dense_1/vars/1", error.Part);
        Assert.Contains("lists '/layers/dense_1/vars' in model_00001.weights.h5 only", error.Message);
    }

    [Fact]
    public void AWeightInNoGroupOfTheIndexIsRefused()
    {
        var error = Refused<ModelFileException>("group_missing");
        Assert.Equal("layers/dense_4/vars/0", error.Part);
        Assert.Contains("in no group of the index", error.Message);
    }

    [Fact]
    public void AListedGroupThatNoShardHoldsIsRefused()
    {
        var error = Refused<ModelFileException>("group_in_no_shard");
        Assert.Equal(Path.Combine(Folder, "model.weights.json"), error.FilePath);
        Assert.Equal("weight_map//layers/dense_9/vars", error.Part);
        Assert.Contains("no shard holds any weight", error.Message);
    }

    [Fact]
    public void AKeyTwiceInTheIndexIsRefused()
    {
        var error = Refused<ModelFileException>("key_twice");
        Assert.Equal("weight_map//layers/dense/vars", error.Part);
        Assert.Contains("lists this group twice", error.Message);
    }

    [Fact]
    public void AShardNameThatIsNoStringIsRefused()
    {
        var error = Refused<ModelFileException>("not_a_name");
        Assert.Equal("weight_map//layers/dense/vars", error.Part);
        Assert.Contains("expected a shard file name", error.Message);
    }

    [SkippableTheory]
    [InlineData("config.json")]
    [InlineData("model.weights.h5")]
    public void AnUnzippedFolderWhoseFileLinksOutIsRefused(string file)
    {
        Skip.IfNot(!OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var folder = Directory.CreateDirectory(Path.Combine(root, "unzipped")).FullName;
        foreach (var name in Directory.GetFiles(Unzipped)) File.Copy(name, Path.Combine(folder, Path.GetFileName(name)));
        File.Move(Path.Combine(folder, file), Path.Combine(root, "secret", file));
        File.CreateSymbolicLink(Path.Combine(folder, file), Path.Combine(root, "secret", file));
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModel.Load(folder));
        Assert.Equal(file, error.Part);
        Assert.Contains("symbolic link", error.Message);
    }
}
