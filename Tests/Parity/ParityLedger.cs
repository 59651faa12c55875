namespace KerasPort.Tests.Parity;

/// <summary>
/// The committed list of golden case/format pairs that must pass (<c>pass</c> lines), and of known gaps with
/// their reason (<c>gap</c> lines, whose case and format may be <c>*</c> or end in <c>/*</c>).
/// </summary>
public sealed class ParityLedger
{
    readonly HashSet<(string Case, string Format)> mustPass = [];
    readonly List<(string Case, string Format, string Reason)> gaps = [];

    /// <summary>The ledger at <c>Tests/parity-ledger.txt</c>.</summary>
    public static ParityLedger Load() => Parse(File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "parity-ledger.txt")));

    /// <summary>Parses ledger lines.</summary>
    public static ParityLedger Parse(IEnumerable<string> lines)
    {
        var ledger = new ParityLedger();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["pass", var id, var format]: ledger.mustPass.Add((id, format)); break;
                case ["gap", var id, var format, var reason]: ledger.gaps.Add((id, format, reason)); break;
                default: throw new FormatException($"parity ledger: cannot read '{raw}'");
            }
        }
        return ledger;
    }

    /// <summary>Pairs that must pass.</summary>
    public IReadOnlyCollection<(string Case, string Format)> MustPass => mustPass;

    /// <summary>True if the pair must pass.</summary>
    public bool RequiresPass(string caseId, string format) => mustPass.Contains((caseId, format));

    /// <summary>Why the pair is not (yet) required to pass.</summary>
    public string ReasonNotRequired(string caseId, string format) =>
        gaps.FirstOrDefault(g => Matches(g.Case, caseId) && (g.Format == "*" || g.Format == format)).Reason
        ?? "not in Tests/parity-ledger.txt yet";

    static bool Matches(string pattern, string caseId) =>
        pattern == caseId || pattern == "*" || (pattern.EndsWith("/*", StringComparison.Ordinal) && caseId.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
