namespace KerasPort.Tests;

/// <summary>Locations of the repository and of the shared test data that lives beside it.</summary>
public static class TestPaths
{
    static readonly Lazy<string> repoRoot = new(FindRepoRoot);

    /// <summary>The directory holding <c>KerasPort.sln</c>, found by walking up from the test binaries.</summary>
    public static string RepoRoot => repoRoot.Value;

    /// <summary>Golden Keras outputs: <c>KERASPORT_GOLDEN</c> if set, else <c>../shared/golden</c> beside the repository.</summary>
    public static string Golden => FromEnvironmentOrShared("KERASPORT_GOLDEN", "golden");

    /// <summary>Golden Keras training runs: <c>KERASPORT_GOLDEN_TRAINING</c> if set, else <c>../shared/golden-training</c> beside the repository.</summary>
    public static string GoldenTraining => FromEnvironmentOrShared("KERASPORT_GOLDEN_TRAINING", "golden-training");

    /// <summary>The model corpus: <c>KERASPORT_CORPUS</c> if set, else <c>../shared/corpus</c> beside the repository.</summary>
    public static string Corpus => FromEnvironmentOrShared("KERASPORT_CORPUS", "corpus");

    /// <summary>Real Keras 3.15.1: <c>KERASPORT_KERAS3</c> if set, else <c>../shared/keras3</c> beside the repository.</summary>
    public static string Keras3 => FromEnvironmentOrShared("KERASPORT_KERAS3", "keras3");

    /// <summary>
    /// The entries of the ledger <c>Tests/<paramref name="fileName"/></c>: every line that is neither blank nor a <c>#</c>
    /// comment, split on spaces into at most <paramref name="fields"/> parts (the last one keeps its spaces: the reason).
    /// </summary>
    public static IEnumerable<string[]> LedgerEntries(string fileName, int fields) =>
        File.ReadAllLines(Path.Combine(RepoRoot, "Tests", fileName))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', fields, StringSplitOptions.RemoveEmptyEntries));

    static string FromEnvironmentOrShared(string variable, string folder) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", folder));

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KerasPort.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no directory above {AppContext.BaseDirectory} contains KerasPort.sln");
    }
}
