namespace KerasPort.Tests.Corpus;

/// <summary>
/// Every real-world file in ../shared/corpus, and every SavedModel directory in ../shared/corpus/savedmodel, behaves as
/// its MANIFEST.tsv expects: it loads and predicts finite outputs, loads as an architecture whose summary works, or is
/// refused with a typed error giving the reason.
/// </summary>
public sealed class ManifestTests
{
    public sealed record Row(string File, string Format, string Expectation);

    /// <summary>The corpus rows, then the SavedModel directories of savedmodel/MANIFEST.tsv (as <c>savedmodel/DIR</c>).</summary>
    static IReadOnlyList<Row> Rows()
    {
        var lines = File.ReadAllLines(SharedData.CorpusPath("MANIFEST.tsv"));
        var header = lines[0].Split('\t').ToList();
        int file = header.IndexOf("file"), format = header.IndexOf("format"), expectation = header.IndexOf("expectation");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c => new Row(c[file], c[format], c[expectation])).ToList();
        rows.AddRange(Converters.SavedModelTests.Rows().Select(r => new Row($"savedmodel/{r.Dir}", "savedmodel", r.Expectation)));
        return rows;
    }

    public static TheoryData<string> Files() => SharedData.Rows(TestPaths.Corpus, _ => Rows().Select(row => row.File));

    static string PathOf(string file) => SharedData.CorpusPath(file);

    /// <summary>The paired file named in an expectation such as "load: architecture with weights from X.h5 (...)".</summary>
    static string PairedFile(string expectation, string marker)
    {
        var rest = expectation[(expectation.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
        return rest.Split(' ', '(', ')')[0];
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void FileBehavesAsTheManifestExpects(string file)
    {
        var gap = CorpusLedger.Gap(file);
        Skip.If(gap is not null, gap);
        var row = Rows().Single(r => r.File == file);
        var expectation = row.Expectation;
        if (expectation.StartsWith("reject", StringComparison.Ordinal))
            AssertRejected(row);
        else if (expectation.StartsWith("load-weights", StringComparison.Ordinal))
            AssertWeightsLoad(PairedFile(expectation, "weights for"), file);
        else if (expectation.StartsWith("load-architecture", StringComparison.Ordinal))
            AssertSummaryWorks(KerasModelReader.Load(PathOf(file)));
        else if (expectation.Contains("architecture with weights from", StringComparison.Ordinal))
        {
            var model = KerasModelReader.Load(PathOf(file), PathOf(PairedFile(expectation, "weights from")));
            AssertPredictsFinite(model);
            AssertSummaryWorks(model);
        }
        else
        {
            var model = KerasModelReader.Load(PathOf(file));
            AssertPredictsFinite(model);
            AssertSummaryWorks(model);
        }
    }

    static void AssertRejected(Row row)
    {
        var error = Assert.ThrowsAny<KerasPortException>(() =>
        {
            var model = KerasModelReader.Load(PathOf(row.File));
            using var runtime = KerasModel.Create(model, initializeMissingWeights: KerasModel.IsArchitectureOnly(model));
        });
        // The error must give (one of) the reasons the manifest names.
        var reason = row.Expectation;
        var named = new (string InManifest, string InError)[]
        {
            ("Lambda", "Lambda"), ("pickle", "pickle"), ("YAML", "YAML"), ("TextVectorization", "TextVectorization"),
            ("not registered", "unregistered class"), ("unregistered", "unregistered class"),
        }.Where(k => reason.Contains(k.InManifest, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(named);
        Assert.True(named.Any(k => error.Message.Contains(k.InError, StringComparison.Ordinal)), $"'{error.Message}' gives none of the reasons in '{reason}'");
    }

    static void AssertWeightsLoad(string architectureFile, string weightsFile)
    {
        var architecture = KerasModelReader.Load(PathOf(architectureFile));
        var withWeights = KerasModelReader.AttachWeights(architecture, PathOf(weightsFile));
        Assert.Contains(withWeights.Layers, l => l.Weights.Count > 0);
    }

    static void AssertSummaryWorks(ModelDescription model)
    {
        using var runtime = KerasModel.Create(model, initializeMissingWeights: KerasModel.IsArchitectureOnly(model));
        var summary = ModelSummary.Build(runtime);
        Assert.Equal(model.Layers.Count, summary.Rows.Count);
        Assert.Equal(summary.Params.Total, summary.Params.Trainable + summary.Params.NonTrainable);
    }

    static void AssertPredictsFinite(ModelDescription model)
    {
        using var runtime = KerasModel.Create(model);
        var random = new Random(7);
        var inputs = runtime.Graph.InputLayers.Select(input =>
        {
            var shape = input.ConcreteShape(batch: 2, free: 32);
            long count = shape.Aggregate(1L, (a, b) => a * b);
            return input.TakesIntegers
                ? NdArray.Of(new int[count], shape)
                : NdArray.Of(Enumerable.Range(0, (int)count).Select(_ => (float)random.NextDouble()).ToArray(), shape);
        }).ToArray();
        foreach (var output in runtime.Predict(inputs))
            Assert.All(output.ToDoubles(), v => Assert.True(double.IsFinite(v), "non-finite output"));
    }
}
