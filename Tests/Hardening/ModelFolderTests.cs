namespace KerasPort.Tests.Hardening;

/// <summary>Issue 19: a path that a model names resolves inside the model's folder or is refused.</summary>
public sealed class ModelFolderTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("kerasport-model-folder-").FullName;
    string Folder => Path.Combine(root, "model");
    string Outside => Path.Combine(root, "outside");

    public ModelFolderTests()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "weights"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Folder, "weights", "shard0.h5"), "inside");
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "secret");
    }

    string Named => Path.Combine(Folder, "model.weights.json");

    [Theory]
    [InlineData("weights/shard0.h5")]
    [InlineData("./weights/./shard0.h5")]
    [InlineData("weights\\shard0.h5")]
    [InlineData("not/yet/written.h5")]
    public void APathInsideResolvesUnderTheFolder(string relative)
    {
        var resolved = ModelFolder.Resolve(Folder, relative, Named);
        Assert.StartsWith(Path.GetFullPath(Folder) + Path.DirectorySeparatorChar, resolved, StringComparison.Ordinal);
        Assert.EndsWith(relative.Split('/', '\\')[^1], resolved, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside/secret.txt", "'..'")]
    [InlineData("weights/../../outside/secret.txt", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("\\\\server\\share\\x", "absolute")]
    [InlineData("C:\\Windows\\win.ini", "absolute")]
    [InlineData("", "empty")]
    public void APathThatLeavesIsRefused(string relative, string why)
    {
        var error = Assert.Throws<UnsafeModelFileException>(() => ModelFolder.Resolve(Folder, relative, Named));
        Assert.Equal(Named, error.FilePath);
        Assert.Equal(relative, error.Part);
        Assert.Contains(why, error.Message);
    }

    [SkippableFact]
    public void ASymbolicLinkThatLeavesIsRefused()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs a privilege on Windows");
        File.CreateSymbolicLink(Path.Combine(Folder, "weights", "shard1.h5"), Path.Combine(Outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Folder, "escape"), "../outside");
        Assert.Contains("symbolic link", Assert.Throws<UnsafeModelFileException>(() => ModelFolder.Resolve(Folder, "weights/shard1.h5", Named)).Message);
        Assert.Contains("symbolic link", Assert.Throws<UnsafeModelFileException>(() => ModelFolder.Resolve(Folder, "escape/secret.txt", Named)).Message);
    }

    [SkippableFact]
    public void ALinkThatStaysInsideIsFollowed()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs a privilege on Windows");
        Directory.CreateSymbolicLink(Path.Combine(Folder, "alias"), "weights");
        File.CreateSymbolicLink(Path.Combine(Folder, "latest.h5"), "alias/shard0.h5");
        Assert.Equal(Path.Combine(Path.GetFullPath(Folder), "weights", "shard0.h5"), ModelFolder.Resolve(Folder, "latest.h5", Named));
    }

    [SkippableFact]
    public void ALinkLoopIsRefused()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs a privilege on Windows");
        File.CreateSymbolicLink(Path.Combine(Folder, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(Folder, "b"), "a");
        Assert.Contains("loop", Assert.Throws<UnsafeModelFileException>(() => ModelFolder.Resolve(Folder, "a", Named)).Message);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
