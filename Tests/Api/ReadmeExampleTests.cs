namespace KerasPort.Tests.Api;

/// <summary>The README's three-line example compiles (it is ReadmeExample.cs), appears verbatim in README.md, and works.</summary>
public sealed class ReadmeExampleTests
{
    static readonly string Case = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "reshape_permute_flatten");

    [Fact]
    public void ReadmeShowsTheCompiledExample()
    {
        var source = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "Api", "ReadmeExample.cs"));
        int begin = Array.FindIndex(source, l => l.Contains("README:begin", StringComparison.Ordinal));
        int end = Array.FindIndex(source, l => l.Contains("README:end", StringComparison.Ordinal));
        var snippet = string.Join("\n", source[(begin + 1)..end].Select(l => l.Trim()));
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")).Replace("\r\n", "\n");
        Assert.Contains(snippet, readme);
    }

    [Fact]
    public void ReadmeExampleReproducesKeras()
    {
        var io = NpzArchive.Read(Path.Combine(Case, "io.npz"));
        var result = ReadmeExample.Run(Path.Combine(Case, "model.keras"), io["in/x"].ToFloats());
        var expected = io["final/0"].ToFloats();
        Assert.Equal(expected.Length, result.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - result[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]));
    }
}
