namespace KerasPort.Tests;

/// <summary>
/// Golden cases that KerasPort does not load or reproduce yet (<c>Tests/golden-gaps.txt</c>), for the suites that walk
/// every golden case (ONNX export, h5 conversion, emit-csharp, training). A listed case must still fail in the suite:
/// it is then reported as skipped with the ledger's reason. A listed case that now works fails the test, so the ledger
/// never hides a case that could be a hard test.
/// </summary>
public static class GoldenGaps
{
    /// <summary>The suites that read the ledger, by the name a ledger line gives them.</summary>
    public static readonly string[] Suites = ["onnx", "emit-csharp", "h5", "h5-layout", "training", "reload"];

    static readonly Lazy<List<(string Case, string[]? Formats, string Suite, string Reason)>> Gaps = new(Load);

    static List<(string Case, string[]? Formats, string Suite, string Reason)> Load()
    {
        var gaps = new List<(string, string[]?, string, string)>();
        foreach (var parts in TestPaths.LedgerEntries("golden-gaps.txt", 4))
        {
            var raw = string.Join(' ', parts);
            if (parts is not ["gap", var field, var suites, var reason]) throw new FormatException($"golden gaps ledger: cannot read '{raw}'");
            var (id, formats) = field.Split('@') is [var c, var f] ? (c, f.Split('+')) : (field, null);
            foreach (var suite in suites == "*" ? Suites : suites.Split(','))
                gaps.Add((id, formats, Suites.Contains(suite) ? suite : throw new FormatException($"golden gaps ledger: unknown suite '{suite}' in '{raw}'"), reason));
        }
        return gaps;
    }

    /// <summary>The case id (<c>family/case</c>) of a path relative to the golden folder (a case folder or a file in one).</summary>
    public static string CaseOf(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/');
        return parts.Length >= 2 ? $"{parts[0]}/{parts[1]}" : relativePath;
    }

    /// <summary>The golden format of a case's model file (<c>model.keras</c> → <c>keras</c>, <c>model.h5</c> → <c>h5</c>).</summary>
    public static string FormatOf(string relativePath) => Path.GetExtension(relativePath).TrimStart('.');

    /// <summary>
    /// Runs <paramref name="test"/> of <paramref name="suite"/>: as a hard test for a case the ledger does not list for the
    /// suite (and, where a line names formats as <c>case@h5+legacy</c>, for <paramref name="format"/>); for a listed one,
    /// checks that it still fails and then skips with the ledger's reason.
    /// </summary>
    public static void Run(string suite, string caseId, Action test, string? format = null)
    {
        var reason = Gaps.Value.FirstOrDefault(g => g.Case == caseId && g.Suite == suite && (g.Formats is null || (format is not null && g.Formats.Contains(format)))).Reason;
        if (reason is null)
        {
            test();
            return;
        }
        Exception? failure = null;
        try { test(); }
        catch (Exception e) when (e is not SkipException) { failure = e; }
        Assert.True(failure is not null, $"{caseId} now passes the {suite} suite: remove it from its gap line ('{reason}') in Tests/golden-gaps.txt");
        Skip.If(true, $"known golden gap: {reason} ({failure!.GetType().Name}: {FirstLine(failure.Message)})");
    }

    static string FirstLine(string text) => text.Split('\n')[0];
}
