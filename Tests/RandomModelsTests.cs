using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests;

/// <summary>
/// Differential testing against real Keras: <c>Reference/python/random_models.py</c> draws random architectures for a
/// fixed set of seeds (one Python process), and KerasPort must reproduce every layer's output of each draw from each
/// file Keras wrote, except the draws <c>Tests/random-models-ledger.txt</c> lists with a reason.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class RandomModelsTests
{
    /// <summary>The seeds CI draws (a few minutes on two cores); a longer run is in the README.</summary>
    const string Seeds = "0-29";

    /// <summary>A draw Keras rejects (e.g. an activation that needs an even feature size) is redrawn by no one: too many means a broken generator.</summary>
    const double MaxRejectedShare = 0.25;

    [SkippableFact]
    public void RandomModelsMatchKerasLayerByLayer()
    {
        var script = Path.Combine(TestPaths.RepoRoot, "Reference", "python", "random_models.py");
        var output = Path.Combine(Path.GetTempPath(), "kerasport-random-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, log) = RealKeras.Run(script, "draw", output, "--seeds", Seeds);
            Assert.True(exitCode == 0, log);
            var lines = log.Split('\n');
            int drawn = lines.Count(l => l.StartsWith("drawn ", StringComparison.Ordinal));
            int rejected = lines.Count(l => l.StartsWith("keras-rejected ", StringComparison.Ordinal));
            Assert.True(drawn > 0 && rejected <= MaxRejectedShare * (drawn + rejected), $"{drawn} drawn, {rejected} rejected by Keras:\n{log}");

            var ledger = LoadLedger();
            var unexpected = new List<string>();
            foreach (var directory in Directory.GetDirectories(output, "seed-*").Order())
            {
                int seed = int.Parse(Path.GetFileName(directory)["seed-".Length..]);
                var goldenCase = GoldenCase.Load(directory);
                var failures = GoldenFormat.All.Where(f => !f.ArchitectureOnly && f.IsPresentIn(goldenCase))
                    .Select(f => ParityRunner.Run(goldenCase, f)).Where(r => r.Status != ParityStatus.Pass).ToList();
                if (failures.Count > 0 && !ledger.ContainsKey(seed))
                    unexpected.Add($"seed {seed} fails: {failures[0].Describe()}");
                if (failures.Count == 0 && ledger.ContainsKey(seed))
                    unexpected.Add($"seed {seed} passes now: remove it from random-models-ledger.txt");
            }
            Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// <c>shrink</c> on a failure made on purpose: draw 23 (three steps: two Dense, a pooling and a mask op) with its
    /// recorded Dense outputs perturbed by +1 (<c>--perturb Dense</c>), checked by <c>kerasport verify</c>. Shrink must
    /// write a golden-layout case folder with fewer layers, which still holds a Dense and still fails, at the Dense outputs only.
    /// </summary>
    [SkippableFact]
    public void ShrinkWritesASmallerCaseThatStillFails()
    {
        var script = Path.Combine(TestPaths.RepoRoot, "Reference", "python", "random_models.py");
        var output = Directory.CreateTempSubdirectory("kerasport-shrink-").FullName;
        try
        {
            var check = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "kerasport.dll")}' verify {{case}} --formats keras";
            var (drawExit, drawLog) = RealKeras.Run(script, "draw", output, "--seeds", "23", "--perturb", "Dense");
            Assert.True(drawExit == 0 && drawLog.Contains("drawn 23"), drawLog);
            var (exitCode, log) = RealKeras.Run(script, "shrink", output, "--seed", "23", "--perturb", "Dense", "--check", check);
            Assert.True(exitCode == 0, log);
            Assert.Contains("shrunk 23: skipped steps [0", log);

            var drawn = GoldenCase.Load(Path.Combine(output, "seed-23"));
            var shrunk = GoldenCase.Load(Path.Combine(output, "shrunk-23"));
            Assert.True(shrunk.Layers.Count < drawn.Layers.Count, $"{shrunk.Layers.Count} layers shrunk, {drawn.Layers.Count} drawn");
            Assert.Contains(shrunk.Layers, l => l.ClassName == "Dense");
            var result = ParityRunner.Run(shrunk, GoldenFormat.Keras);
            Assert.True(result.Status == ParityStatus.Fail, result.Describe());
            // Only the perturbed outputs fail: KerasPort matches Keras everywhere else.
            Assert.All(result.Comparisons.Where(c => !c.Passed), c => Assert.Contains(shrunk.Layers, l => l.ClassName == "Dense" && l.OutputKeys.Contains(c.Key)));
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    /// <summary>Seed to reason, from <c>Tests/random-models-ledger.txt</c> (<c>fail &lt;seed&gt; &lt;reason&gt;</c>).</summary>
    static Dictionary<int, string> LoadLedger() =>
        TestPaths.LedgerEntries("random-models-ledger.txt", 3)
            .ToDictionary(p => p[0] == "fail" && p.Length == 3 ? int.Parse(p[1]) : throw new FormatException($"random-models-ledger.txt: bad line '{string.Join(' ', p)}'"), p => p[2]);
}
