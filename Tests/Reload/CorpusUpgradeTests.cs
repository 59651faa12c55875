using KerasPort.Reference.Golden;
using KerasPort.Reference.Dl4j;
using KerasPort.Reference.Worker;

namespace KerasPort.Tests.Reload;

/// <summary>
/// The upgrade promise: every file of ../shared/corpus that KerasPort loads (Keras 1, 2, tf.keras or 3: the MANIFEST's
/// <c>load</c> rows, the SavedModel directories and the DL4J models) converts with <c>convert --to keras</c>, and real
/// Keras 3.15.1 loads the result and reproduces KerasPort's outputs within 1e-5 (plus 1e-4 relative). Files refused for a documented reason
/// are listed in Tests/upgrade-ledger.txt (<c>refused FILE REASON</c>): convert must still refuse them, naming the reason.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class CorpusUpgradeTests
{
    // The golden default, 1e-5 absolute plus 1e-4 relative: float32 rounding in a deep conv/BatchNormalization
    // autoencoder (conv_autoencoder_bn_k240) differs by 2e-5 at 0.59.
    static readonly Tolerance Within = Tolerance.Default;

    static readonly Lazy<Dictionary<string, string>> Refused = new(() =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "upgrade-ledger.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries) is ["refused", var file, var reason] ? (file, reason)
                : throw new FormatException($"upgrade ledger: cannot read '{l}'"))
            .ToDictionary(p => p.file, p => p.reason));

    static readonly Lazy<Dictionary<string, string?>> Upgraded = new(Run);

    /// <summary>The corpus files KerasPort loads, with the weights file an architecture file pairs with.</summary>
    static IReadOnlyList<(string File, string? Weights)> Loadable()
    {
        var files = new List<(string, string?)>();
        var lines = File.ReadAllLines(Path.Combine(TestPaths.Corpus, "MANIFEST.tsv"));
        var header = lines[0].Split('\t').ToList();
        int file = header.IndexOf("file"), expectation = header.IndexOf("expectation");
        foreach (var row in lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')))
        {
            var expect = row[expectation];
            if (!expect.StartsWith("load", StringComparison.Ordinal) || expect.StartsWith("load-weights", StringComparison.Ordinal)) continue;
            const string marker = "architecture with weights from ";
            var at = expect.IndexOf(marker, StringComparison.Ordinal);
            files.Add((row[file], at < 0 ? null : expect[(at + marker.Length)..].Split(' ', '(', ')')[0]));
        }
        files.AddRange(Converters.SavedModelTests.Rows().Where(r => r.Expectation.StartsWith("load", StringComparison.Ordinal))
            .Select(r => ($"savedmodel/{r.Dir}", (string?)null)));
        files.AddRange(Dl4jCase.FindAll(Path.Combine(TestPaths.Corpus, "dl4j")).Select(c => (Path.GetRelativePath(TestPaths.Corpus, c.ModelPath), (string?)null)));
        return files;
    }

    public static TheoryData<string> Files() => SharedData.Rows(TestPaths.Corpus, _ => Loadable().Select(f => f.File));

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void KerasLoadsTheUpgradedFileAndReproducesKerasPort(string file)
    {
        _ = SharedData.Corpus;
        var gap = Corpus.CorpusLedger.Gap(file);
        Skip.If(gap is not null, $"KerasPort does not load it yet: {gap}");
        var problem = Upgraded.Value[file];
        if (Refused.Value.TryGetValue(file, out var reason))
        {
            Assert.True(problem is not null && problem.Contains("refused", StringComparison.Ordinal), $"{file} now converts: remove it from Tests/upgrade-ledger.txt");
            Assert.Contains(reason.Split(':')[0], problem);
            return;
        }
        Assert.True(problem is null, $"{file}: {problem}");
    }

    [SkippableFact]
    public void EveryLedgerLineNamesACorpusFileKerasPortLoads()
    {
        _ = SharedData.Corpus;
        var known = Loadable().Select(f => f.File).ToHashSet();
        Assert.All(Refused.Value.Keys, f => Assert.Contains(f, known));
    }

    /// <summary>Null for a file that upgrades and reproduces; else what went wrong ("refused: ..." when convert refused it).</summary>
    static Dictionary<string, string?> Run()
    {
        _ = RealKeras.Python;
        var outcomes = new Dictionary<string, string?>();
        var jobs = new List<ReloadJob>();
        var folder = Directory.CreateTempSubdirectory("kerasport-upgrade-").FullName;
        try
        {
            foreach (var (file, weights) in Loadable())
            {
                if (Corpus.CorpusLedger.Gap(file) is not null) continue;
                try
                {
                    var path = Path.Combine(TestPaths.Corpus, file);
                    var description = weights is null ? KerasModelReader.Load(path) : KerasModelReader.Load(path, Path.Combine(TestPaths.Corpus, weights));
                    NdArray[] inputs, expected;
                    using (var model = KerasModel.Create(description, initializeMissingWeights: KerasModel.IsArchitectureOnly(description)))
                    {
                        // An architecture-only file gets initialized weights: those are what the upgraded file holds.
                        description = model.BuiltDescription;
                        // Free sizes as ManifestTests uses: large enough for every kernel and pooling window of the corpus models.
                        var named = ReferenceInputs.Generate(description, batch: 2, freeSize: 32, seed: 7);
                        inputs = description.Inputs.Select(i => named[i.Layer]).ToArray();
                        expected = model.Predict(inputs);
                    }
                    var output = Path.Combine(folder, $"{jobs.Count}.keras");
                    try
                    {
                        ModelConverter.Write(description, ConversionTarget.Keras, output, force: false);
                    }
                    catch (UnsupportedLayerException e)
                    {
                        outcomes[file] = $"refused: {e.Message}";
                        continue;
                    }
                    jobs.Add(new ReloadJob(file, output, inputs, expected));
                }
                catch (KerasPortException e)
                {
                    outcomes[file] = $"KerasPort could not load or convert it: {e.Message}";
                }
            }
            foreach (var (id, result) in KerasReload.Run(jobs, folder)) outcomes[id] = result.Mismatch(Within);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return outcomes;
    }
}
