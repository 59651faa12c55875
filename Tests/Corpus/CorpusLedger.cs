namespace KerasPort.Tests.Corpus;

/// <summary>
/// <c>Tests/corpus-ledger.txt</c>: corpus files and DL4J pairs that are known not to work yet, each with the reason
/// (usually the missing layer). Everything not listed there is a hard test.
/// </summary>
public static class CorpusLedger
{
    static readonly Lazy<Dictionary<string, string>> gaps = new(() =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "corpus-ledger.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[1], p => p.Length > 2 ? p[2] : throw new FormatException($"corpus ledger: '{string.Join(' ', p)}' has no reason")));

    /// <summary>The recorded reason why <paramref name="name"/> (a DL4J stem or corpus file) is not expected to pass, or null.</summary>
    public static string? Gap(string name) => gaps.Value.GetValueOrDefault(name);
}
