using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Parity;

/// <summary>
/// Every golden case in every format it ships, checked layer by layer against real Keras outputs.
/// Pairs in the parity ledger are hard tests; the rest are reported as skipped with the ledger's reason.
/// </summary>
public sealed class GoldenParityTests
{
    static readonly ParityLedger Ledger = ParityLedger.Load();

    /// <summary>
    /// All case/format pairs under <see cref="TestPaths.Golden"/>, plus every ledger pair but those of cases only Fixtures/
    /// holds (which <see cref="FixtureCaseMatchesKeras"/> checks): where the golden folder is absent those skip through
    /// <see cref="SharedData"/> (and fail in CI), so the ledger never shrinks silently.
    /// </summary>
    public static TheoryData<string, string> SharedGoldenPairs()
    {
        var pairs = new SortedSet<(string, string)>(Ledger.MustPass.Where(p => !IsFixtureOnly(p.Case)));
        if (Directory.Exists(TestPaths.Golden))
            foreach (var directory in GoldenCase.FindCaseDirectories(TestPaths.Golden))
            {
                var goldenCase = GoldenCase.Load(directory);
                foreach (var format in GoldenFormat.All.Where(f => f.IsPresentIn(goldenCase)))
                    pairs.Add((goldenCase.Id, format.Name));
            }
        var data = new TheoryData<string, string>();
        foreach (var (id, format) in pairs) data.Add(id, format);
        return data;
    }

    static bool IsFixtureOnly(string caseId) =>
        Directory.Exists(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", caseId)) && !Directory.Exists(Path.Combine(TestPaths.Golden, caseId));

    /// <summary>The cases committed under Fixtures/, which a fresh clone always has.</summary>
    public static TheoryData<string, string> FixturePairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var directory in GoldenCase.FindCaseDirectories(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden")))
        {
            var goldenCase = GoldenCase.Load(directory);
            foreach (var format in GoldenFormat.All.Where(f => f.IsPresentIn(goldenCase)))
                data.Add(goldenCase.Id, format.Name);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SharedGoldenPairs))]
    public void SharedGoldenCaseMatchesKeras(string caseId, string format)
    {
        Skip.IfNot(Ledger.RequiresPass(caseId, format), Ledger.ReasonNotRequired(caseId, format));
        AssertPasses(GoldenCase.Load(SharedData.GoldenPath(caseId)), GoldenFormat.Parse(format));
    }

    [SkippableTheory]
    [MemberData(nameof(FixturePairs))]
    public void FixtureCaseMatchesKeras(string caseId, string format)
    {
        Skip.IfNot(Ledger.RequiresPass(caseId, format), Ledger.ReasonNotRequired(caseId, format));
        AssertPasses(GoldenCase.Load(Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", caseId)), GoldenFormat.Parse(format));
    }

    static void AssertPasses(GoldenCase goldenCase, GoldenFormat format)
    {
        var result = ParityRunner.Run(goldenCase, format);
        Assert.True(result.Status == ParityStatus.Pass, result.Describe());
        Assert.Contains(result.Comparisons, c => c.Key.StartsWith(format.ArchitectureOnly ? "params/" : "final/", StringComparison.Ordinal));
    }
}
