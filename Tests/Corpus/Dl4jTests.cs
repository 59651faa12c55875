using KerasPort.Reference.Dl4j;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Corpus;

/// <summary>Keras 1/2 models from DL4J's import tests reproduce the predictions real Keras made for them.</summary>
public sealed class Dl4jTests
{
    static string Folder => SharedData.CorpusPath("dl4j");

    public static TheoryData<string> Stems() =>
        SharedData.Rows(TestPaths.Corpus, corpus => Dl4jCase.FindAll(Path.Combine(corpus, "dl4j")).Select(pair => pair.Stem));

    [SkippableTheory]
    [MemberData(nameof(Stems))]
    public void PairReproducesKerasPredictions(string stem)
    {
        var gap = CorpusLedger.Gap(stem);
        Skip.If(gap is not null, gap);
        var pair = Dl4jCase.FindAll(Folder).Single(c => c.Stem == stem);
        var result = pair.Run();
        Assert.True(result.Status == ParityStatus.Pass, result.Describe());
        // A pair with only training targets (no predictions) is a load test; every other pair must compare its predictions.
        if (pair.HasPredictions) Assert.Contains(result.Comparisons, c => c.Key.StartsWith("predictions/", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void CorpusHasTheDl4jPairs() => Assert.True(Dl4jCase.FindAll(Folder).Count >= 20, $"expected the DL4J pairs under {Folder}");
}
