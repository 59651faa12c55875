using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;
using KerasPort.Tests.Cli;
using KerasPort.Tests.Parity;

namespace KerasPort.Tests.Reference;

/// <summary>One Python worker with real Keras for all tests of a class (each Python start imports torch: ~10 s).</summary>
public sealed class RealKerasWorker : IDisposable
{
    readonly Lazy<PythonWorkerReference> worker = new(() => PythonWorkerReference.Start(RealKeras.Python));

    /// <summary>The worker, started on first use (skips through <see cref="RealKeras"/> where Keras is absent).</summary>
    public IKerasReference Keras => worker.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (worker.IsValueCreated) worker.Value.Dispose();
    }
}

/// <summary>
/// <c>reference</c>, <c>verify</c> and <c>diff --reference python</c> against real Keras 3.15.1 (../shared/keras3),
/// through both Python hosts. Keras on the torch backend is never embedded in this test process, which runs
/// KerasPort's libtorch: the in-process host runs inside a <c>kerasport reference</c> process (which
/// <c>diff --python-host inprocess</c> starts itself).
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class RealKerasReferenceTests(RealKerasWorker shared) : IClassFixture<RealKerasWorker>
{
    /// <summary>
    /// One small case of every golden family that real Keras loads. Not here: <c>app_configs</c> (architectures only,
    /// no outputs to compare) and <c>kerashub</c> (KerasHub is not installed beside ../shared/keras3).
    /// </summary>
    public static TheoryData<string> OneCasePerFamily =>
    [
        "activation_layers/leaky_relu_elu", "applications/mobilenet_v3_small", "attention/additive_attention",
        "conv/conv1d_channels_first", "core/embedding", "graph/siamese_nested_functional", "keras3/functional_in_sequential",
        "merge/concatenate", "normalization/layernorm", "pooling/average_pooling1d", "preprocessing/discretization_and_friends",
        "recurrent/bidirectional_gru_state", "reshaping/center_crop",
    ];

    static readonly Lazy<ParityLedger> Ledger = new(ParityLedger.Load);

    [SkippableTheory]
    [MemberData(nameof(OneCasePerFamily))]
    public void ReferenceWritesEveryLayerOfAGoldenCaseAndVerifyPasses(string caseId)
    {
        var golden = Path.Combine(SharedData.Golden, caseId);
        var scratch = Directory.CreateTempSubdirectory("kerasport-realkeras-").FullName;
        try
        {
            var recorded = NpzArchive.Read(Path.Combine(golden, "io.npz"));
            var model = shared.Keras.LoadModel(Path.Combine(golden, "model.keras"));
            var inputs = recorded.Where(p => p.Key.StartsWith("in/", StringComparison.Ordinal)).ToDictionary(p => p.Key[3..], p => p.Value);
            shared.Keras.WriteGoldenCase(model, inputs, scratch, caseId.Split('/')[0]);

            // Every output the golden generator recorded, under the same key, with the same values.
            var written = NpzArchive.Read(Path.Combine(scratch, "io.npz"));
            Assert.Equal(recorded.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, expected) in recorded)
                Assert.True(ParityRunner.Compare(key, written[key], expected, new Tolerance(1e-6, 0)).Passed, $"{caseId} {key}");

            // verify, with the golden case's tolerance (deep applications are looser than the default that reference writes).
            var reloaded = GoldenCase.Load(scratch) with { Tolerance = GoldenCase.Load(golden).Tolerance };
            var result = ParityRunner.Run(reloaded, GoldenFormat.Keras);
            if (Ledger.Value.RequiresPass(caseId, "keras")) Assert.True(result.Status == ParityStatus.Pass, result.Describe());
            else Assert.False(result.Status == ParityStatus.Pass, $"{caseId} passes now: remove its gap ({Ledger.Value.ReasonNotRequired(caseId, "keras")}) from Tests/parity-ledger.txt");
        }
        finally { Directory.Delete(scratch, true); }
    }

    /// <summary>The same per-layer outputs whichever file Keras loads the model from.</summary>
    [SkippableTheory]
    [InlineData("model.keras", null)]
    [InlineData("model.h5", null)]
    [InlineData("model.json", "model.weights.h5")]
    [InlineData("model.yaml", "model.weights.h5")]
    public void LayerOutputsOfANestedSharedModelFromEveryFormat(string modelFile, string? weightsFile)
    {
        var golden = Path.Combine(SharedData.Golden, "graph", "siamese_nested_functional");
        var recorded = NpzArchive.Read(Path.Combine(golden, "io.npz"));
        var model = shared.Keras.LoadModel(Path.Combine(golden, modelFile), weightsFile is null ? null : Path.Combine(golden, weightsFile));
        var inputs = recorded.Where(p => p.Key.StartsWith("in/", StringComparison.Ordinal)).ToDictionary(p => p.Key[3..], p => p.Value);
        var outputs = shared.Keras.LayerOutputs(model, inputs);
        Assert.Empty(outputs.NotCompared);
        Assert.Equal(recorded.Keys.Where(k => !k.StartsWith("in/", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            outputs.Arrays.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in outputs.Arrays)
            Assert.True(ParityRunner.Compare(key, value, recorded[key], new Tolerance(1e-6, 0)).Passed, key);
    }

    [SkippableFact]
    public void ReferenceThroughTheInProcessHostThenVerify()
    {
        var golden = Path.Combine(SharedData.Golden, "graph", "shared_layer");
        var scratch = Directory.CreateTempSubdirectory("kerasport-realkeras-").FullName;
        try
        {
            var (exitCode, output) = CliTests.Run(Minutes, "reference", Path.Combine(golden, "model.keras"), "--out", scratch,
                "--input", Path.Combine(golden, "io.npz"), "--python", RealKeras.Python, "--python-host", "inprocess");
            Assert.True(exitCode == 0, output);
            Assert.Contains("python host: in-process (", output);
            Assert.Equal(NpzArchive.Read(Path.Combine(golden, "io.npz")).Keys.Order(StringComparer.Ordinal),
                NpzArchive.Read(Path.Combine(scratch, "io.npz")).Keys.Order(StringComparer.Ordinal));
            var (verifyExit, verifyOutput) = CliTests.Run(Minutes, "verify", scratch);
            Assert.True(verifyExit == 0, verifyOutput);
        }
        finally { Directory.Delete(scratch, true); }
    }

    /// <summary>Keras 3 (<c>.keras</c>) files of ../shared/corpus that the MANIFEST expects to load.</summary>
    public static TheoryData<string> CorpusKeras3Files()
    {
        var data = new TheoryData<string>();
        var manifest = Path.Combine(TestPaths.Corpus, "MANIFEST.tsv");
        if (!File.Exists(manifest)) return ["(../shared/corpus is absent)"];
        foreach (var columns in File.ReadLines(manifest).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length >= 11))
            if (columns[6] == "keras-zip" && columns[7].StartsWith("3.", StringComparison.Ordinal) && columns[10].StartsWith("load", StringComparison.Ordinal))
                data.Add(columns[0]);
        return data;
    }

    /// <summary>
    /// Corpus files where KerasPort's outputs diverge from Keras's at a layer, with that layer: a listed file must
    /// still diverge there (remove it once it matches). Every layer is compared all the same.
    /// </summary>
    static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
        // LayerNormalization over a feature axis of size 1: x - mean is rounding noise, divided by sqrt(eps) (1e-3).
        ["birthrate_mha_transformer_k392.keras"] = "out/layer_normalization_12/0",
    };

    [SkippableTheory]
    [MemberData(nameof(CorpusKeras3Files))]
    public void DiffComparesEveryLayerOfACorpusKeras3FileThroughBothHosts(string file)
    {
        var path = Path.Combine(SharedData.Corpus, file);
        int layerOutputs = KerasPortLayerOutputs(path);

        var (workerExit, workerOutput) = CliTests.Run(Minutes, "diff", path, "--reference", "python", "--python", RealKeras.Python, "--python-host", "worker");
        Assert.Contains("python host: worker process", workerOutput);
        AssertEveryLayerCompared(file, workerExit, workerOutput, layerOutputs);

        // In-process, one command: Keras's torch backend runs embedded in a child `kerasport reference` (no libtorch of KerasPort there).
        var (inProcessExit, inProcessOutput) = CliTests.Run(Minutes, "diff", path, "--reference", "python", "--python", RealKeras.Python, "--python-host", "inprocess");
        Assert.Contains("python host: in-process (pythonnet, ", inProcessOutput);
        Assert.Contains("in a child kerasport process: Keras's torch backend cannot share a process with KerasPort's libtorch", inProcessOutput);
        AssertEveryLayerCompared(file, inProcessExit, inProcessOutput, layerOutputs);
    }

    /// <summary>Without a way to start kerasport (a library caller), embedding a torch-backend Keras beside KerasPort's libtorch is refused, not attempted.</summary>
    [SkippableFact]
    public void AnInProcessTorchKerasBesideKerasPortsLibtorchIsRefusedWithoutAChildProcess()
    {
        var error = Assert.Throws<KerasReferenceException>(() => KerasReferenceHost.Start(RealKeras.Python, PythonHost.InProcess, beside: true));
        Assert.Contains("cannot share a process", error.Message);
        Assert.Contains("--python-host worker", error.Message);
    }

    /// <summary>
    /// Several threads calling one reference at once (loads, layer outputs, predict) get exactly a single-thread run's
    /// answers, and none hangs: the GIL and the reference's lock are taken right. The torch-backend Keras cannot be
    /// embedded in this test process (TorchSharp runs here), so the threads run inside `kerasport reference`
    /// (hidden <c>--check-threads</c>), where the in-process host embeds it.
    /// </summary>
    [SkippableTheory]
    [InlineData("inprocess", "python host: in-process (pythonnet, ")]
    [InlineData("worker", "python host: worker process")]
    public void ConcurrentCallsToAReferenceAgreeWithASingleThreadRun(string host, string hostLine)
    {
        var golden = Path.Combine(SharedData.Golden, "recurrent", "bidirectional_gru_state");
        var scratch = Directory.CreateTempSubdirectory("kerasport-realkeras-").FullName;
        try
        {
            var (exitCode, output) = CliTests.Run(Minutes, "reference", Path.Combine(golden, "model.keras"), "--out", Path.Combine(scratch, "case"),
                "--input", Path.Combine(golden, "io.npz"), "--python", RealKeras.Python, "--python-host", host, "--check-threads", "6");
            Assert.True(exitCode == 0, output);
            Assert.Contains(hostLine, output);
            Assert.Contains("check-threads: 6 threads at once", output);
            Assert.Contains("agree bit for bit with a single-thread run", output);
        }
        finally { Directory.Delete(scratch, true); }
    }

    /// <summary>The Python worker loads what KerasPort loads: an unzipped .keras folder, and an architecture with sharded weights.</summary>
    [SkippableFact]
    public void DiffRunsRealKerasOnAnUnzippedFolderAndOnShardedWeights()
    {
        var fixtures = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "keras3");
        var sharded = Path.Combine(fixtures, "sharded_weights");
        string[][] models = [[Path.Combine(fixtures, "unzipped_keras_dir", "model")], [Path.Combine(sharded, "model.json"), "--weights", Path.Combine(sharded, "model.weights.json")]];
        foreach (var model in models)
        {
            var (exitCode, output) = CliTests.Run(Minutes, ["diff", .. model, "--reference", "python", "--python", RealKeras.Python, "--python-host", "worker"]);
            Assert.True(exitCode == 0, output);
            Assert.Contains("all 6 outputs match Keras", output);
        }
    }

    static readonly TimeSpan Minutes = TimeSpan.FromMinutes(6);

    /// <summary>How many outputs (layer calls' and final) KerasPort's trace of the file has, on the inputs diff generates.</summary>
    static int KerasPortLayerOutputs(string path)
    {
        var description = KerasModelReader.Load(path);
        using var runtime = KerasModel.Create(description);
        var inputs = ReferenceInputs.Generate(description);
        return LayerDiff.KeyedOutputs(description, runtime.Trace(LayerDiff.CaseInputs(description, inputs, path))).Count;
    }

    static void AssertEveryLayerCompared(string file, int exitCode, string output, int layerOutputs)
    {
        Assert.DoesNotContain("not compared", output, StringComparison.OrdinalIgnoreCase);
        if (KnownDivergences.TryGetValue(file, out var key))
        {
            Assert.True(exitCode == 1, output);
            Assert.Contains($"at {key}:", output);
            Assert.Contains($"of {layerOutputs} outputs fail", output);
        }
        else
        {
            Assert.True(exitCode == 0, output);
            Assert.Contains($"all {layerOutputs} outputs match Keras", output);
        }
    }
}
