using KerasPort.Converters;
using KerasPort.Converters.Model;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Runtime;

namespace KerasPort.Testing;

/// <summary>
/// Parity checks for your own test suite, with any test framework: each method throws
/// <see cref="KerasParityException"/> (message naming the first divergent layer and its errors) when KerasPort
/// does not reproduce Keras's outputs. Make the golden case with <c>kerasport reference MODEL --out CASE_DIR</c>.
/// </summary>
public static class KerasParity
{
    /// <summary>Runs <paramref name="model"/> on the case's inputs and compares every recorded layer output and model output.</summary>
    /// <param name="model">The KerasPort model to check.</param>
    /// <param name="caseDirectory">A golden case folder (<c>case.json</c> and <c>io.npz</c>).</param>
    /// <param name="tolerance">Tolerance to apply; default: the case's own (<c>case.json</c> <c>tolerance</c>).</param>
    /// <returns>The full per-layer report, for further checks.</returns>
    /// <exception cref="KerasParityException">Some output is out of tolerance, mis-shaped or missing.</exception>
    public static LayerDiffReport AssertMatches(KerasModel model, string caseDirectory, Tolerance? tolerance = null)
    {
        var goldenCase = GoldenCase.Load(caseDirectory);
        var report = LayerDiff.Run(model, goldenCase, tolerance);
        if (!report.Passed) throw new KerasParityException(goldenCase.Id, report);
        return report;
    }

    /// <summary>Builds the model from <paramref name="description"/> and checks it as <see cref="AssertMatches(KerasModel, string, Tolerance?)"/> does.</summary>
    public static LayerDiffReport AssertMatches(ModelDescription description, string caseDirectory, Tolerance? tolerance = null)
    {
        using var model = KerasModel.Create(description);
        return AssertMatches(model, caseDirectory, tolerance);
    }

    /// <summary>Loads the model file (and weights for a JSON/YAML architecture) and checks it against the case.</summary>
    public static LayerDiffReport AssertMatches(string modelPath, string caseDirectory, Tolerance? tolerance = null, string? weightsPath = null) =>
        AssertMatches(KerasModelReader.Load(modelPath, weightsPath), caseDirectory, tolerance);
}

/// <summary>KerasPort's outputs differ from Keras's; <see cref="Exception.Message"/> names the first divergent layer.</summary>
public sealed class KerasParityException : Exception
{
    /// <summary>Creates the exception for golden case <paramref name="caseId"/>.</summary>
    public KerasParityException(string caseId, LayerDiffReport report)
        : base($"KerasPort does not match Keras on {caseId}: {report.Describe()}")
    {
        CaseId = caseId;
        Report = report;
    }

    /// <summary>The golden case (<c>family/case</c>).</summary>
    public string CaseId { get; }

    /// <summary>The full per-layer report.</summary>
    public LayerDiffReport Report { get; }

    /// <summary>The first output out of tolerance, in graph order.</summary>
    public LayerDiffRow FirstDivergent => Report.FirstDivergent!;
}
