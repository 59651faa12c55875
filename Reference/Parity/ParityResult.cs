namespace KerasPort.Reference.Parity;

/// <summary>Outcome of running one golden case in one file format.</summary>
public enum ParityStatus
{
    /// <summary>Every compared output is within tolerance and the parameter counts match.</summary>
    Pass,
    /// <summary>Some output is out of tolerance, missing, or mis-shaped, or a parameter count differs.</summary>
    Fail,
    /// <summary>The model uses a layer class KerasPort cannot run yet.</summary>
    Unsupported,
    /// <summary>Loading or running failed for another reason (counted as a failure).</summary>
    Error,
}

/// <summary>
/// One compared array: the worst absolute error (NaN when NaN positions differ) and whether every element is within
/// tolerance, with the statistics <c>kerasport diff</c> shows.
/// </summary>
public sealed record Comparison(string Key, double MaxAbsError, bool Passed, string? Problem = null)
{
    /// <summary>Largest <c>|a - b| / |b|</c> over the elements where Keras's value <c>b</c> is finite and non-zero.</summary>
    public double MaxRelError { get; init; }

    /// <summary>Mean <c>|a - b|</c> over the elements where both values are finite.</summary>
    public double MeanAbsError { get; init; }

    /// <summary>Elements where NaN or infinity appears on one side only, or infinities of opposite sign.</summary>
    public long NonFiniteMismatches { get; init; }

    /// <summary>Elements out of tolerance (non-finite mismatches included).</summary>
    public long OutOfTolerance { get; init; }

    /// <summary>Keras's shape of the array, when it is an array comparison.</summary>
    public IReadOnlyList<long>? Shape { get; init; }
}

/// <summary>The result of one case in one format, with every comparison made.</summary>
public sealed record ParityResult(
    string CaseId,
    string Format,
    ParityStatus Status,
    IReadOnlyList<Comparison> Comparisons,
    string? Message = null,
    string? UnsupportedClass = null)
{
    /// <summary>The first comparison that failed with the largest error, or null.</summary>
    public Comparison? Worst => Comparisons.Where(c => !c.Passed).OrderByDescending(c => double.IsNaN(c.MaxAbsError) ? double.MaxValue : c.MaxAbsError).FirstOrDefault();

    /// <summary>The largest absolute error over all comparisons.</summary>
    public double MaxAbsError => Comparisons.Count == 0 ? 0 : Comparisons.Max(c => c.MaxAbsError);

    /// <summary>One line for reports: <c>PASS</c>, <c>FAIL (layer, max abs error)</c> or <c>UNSUPPORTED (class)</c>.</summary>
    public string Describe() => Status switch
    {
        ParityStatus.Pass => $"PASS  {CaseId} [{Format}] max abs error {MaxAbsError:G3} over {Comparisons.Count} arrays",
        ParityStatus.Unsupported => $"UNSUPPORTED  {CaseId} [{Format}] ({UnsupportedClass})",
        ParityStatus.Fail when Worst is { } w => $"FAIL  {CaseId} [{Format}] ({w.Key}, max abs error {w.MaxAbsError:G3}{(w.Problem is null ? "" : "; " + w.Problem)})",
        _ => $"FAIL  {CaseId} [{Format}] ({Message})",
    };
}
