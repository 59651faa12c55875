using KerasPort.Reference.Golden;
using KerasPort.Testing;

namespace KerasPort.Tests.Parity;

/// <summary>Per-layer diffs and <see cref="KerasParity"/>: a deliberately perturbed weight is named as the first divergent layer.</summary>
public sealed class LayerDiffTests
{
    static readonly string Fixtures = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden");

    /// <summary>The bundled cases with weights and recorded outputs (app_configs hold architectures only).</summary>
    public static TheoryData<string> FixtureCases()
    {
        var data = new TheoryData<string>();
        foreach (var directory in GoldenCase.FindCaseDirectories(Fixtures).Where(d => File.Exists(Path.Combine(d, "io.npz"))))
            data.Add(Path.GetRelativePath(Fixtures, directory));
        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void FixtureCasesMatchThroughKerasParity(string caseId)
    {
        var directory = Path.Combine(Fixtures, caseId);
        var report = KerasParity.AssertMatches(Path.Combine(directory, "model.keras"), directory);
        Assert.Contains(report.Rows, r => r.Key == "final/0");
        Assert.Null(report.FirstDivergent);
    }

    [Theory]
    [InlineData("core/embedding", "embedding")]
    [InlineData("core/embedding", "dense")]
    [InlineData("core/dense_3d_nobias", "dense_nobias")]
    public void APerturbedWeightIsNamedAsTheFirstDivergentLayer(string caseId, string layer)
    {
        var directory = Path.Combine(Fixtures, caseId);
        var description = Perturb(KerasModelReader.Load(Path.Combine(directory, "model.keras")), layer);
        var error = Assert.Throws<KerasParityException>(() => KerasParity.AssertMatches(description, directory));
        Assert.Equal(layer, error.FirstDivergent.Layer);
        Assert.Contains($"first divergent layer: {layer} (", error.Message);
        Assert.Contains("max abs error", error.Message);
        Assert.Contains(error.Report.Rows, r => r.Key == "final/0" && !r.Passed);
        // Every output before the perturbed layer, in graph order, still matches.
        Assert.All(error.Report.Rows.TakeWhile(r => r.Layer != layer), r => Assert.True(r.Passed, r.Key));
    }

    [Fact]
    public void ALooserToleranceCanAcceptASmallPerturbation()
    {
        var directory = Path.Combine(Fixtures, "core", "embedding");
        var description = Perturb(KerasModelReader.Load(Path.Combine(directory, "model.keras")), "dense", factor: 1.0001f);
        Assert.Throws<KerasParityException>(() => KerasParity.AssertMatches(description, directory, new Tolerance(0, 1e-6)));
        KerasParity.AssertMatches(description, directory, new Tolerance(1e-2, 1e-2));
    }

    /// <summary>Multiplies the first weight (the kernel or embedding matrix) of <paramref name="layer"/> by <paramref name="factor"/>.</summary>
    static ModelDescription Perturb(ModelDescription model, string layer, float factor = 1.5f) => model with
    {
        Layers = model.Layers.Select(l => l.Name != layer ? l : l with
        {
            Weights = l.Weights.Select((w, i) => i != 0 ? w : w with { Value = NdArray.Of(w.Value.ToFloats().Select(v => v * factor).ToArray(), w.Value.Shape) }).ToList(),
        }).ToList(),
    };
}
