using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// Hostile versions of the bundled golden files: truncated, bit-flipped, overwritten with extreme values, and
/// structurally broken (absurd shapes, deep nesting, broken graphs, zip tricks). Every attempt must load or be
/// refused with a typed <see cref="KerasPortException"/> naming the part at fault, in bounded time and memory
/// (<see cref="HostileAttempt"/>). Set <c>KERASPORT_HOSTILE_SCALE</c> to multiply the random mutants for a long run.
/// </summary>
public sealed class HostileFileTests(ITestOutputHelper output) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("kerasport-hostile-").FullName;

    static readonly string[] Cases = ["core/embedding", "attention/mha_self"];
    static readonly string[] Targets = ["keras", "h5", "json", "yaml", "weights", "legacy", "npz", "npy"];

    static string CaseDir(string name) => Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", name);

    static NdArray[] Inputs(string caseName) =>
        NpzArchive.Read(Path.Combine(CaseDir(caseName), "io.npz")).Where(kv => kv.Key.StartsWith("in/", StringComparison.Ordinal)).Select(kv => kv.Value).ToArray();

    /// <summary>Every case and file kind whose bytes are mutated.</summary>
    public static TheoryData<string, string> CaseTargets()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Cases)
            foreach (var t in Targets) data.Add(c, t);
        return data;
    }

    /// <summary>The original bytes of a target, and how to read a mutant of them (given its path) with the case's other files.</summary>
    static (byte[] Bytes, string FileName, Func<string, Action> Read, string? Partner) Target(string caseName, string target)
    {
        var dir = CaseDir(caseName);
        var inputs = Inputs(caseName);
        string F(string name) => Path.Combine(dir, name);
        byte[] B(string name) => File.ReadAllBytes(F(name));
        return target switch
        {
            "keras" => (B("model.keras"), "model.keras", m => () => HostileAttempt.LoadAndPredict(m, null, inputs), null),
            "h5" => (B("model.h5"), "model.h5", m => () => HostileAttempt.LoadAndPredict(m, null, inputs), null),
            "json" => (B("model.json"), "model.json", m => () => HostileAttempt.LoadAndPredict(m, F("model.weights.h5"), inputs), F("model.weights.h5")),
            "yaml" => (B("model.yaml"), "model.yaml", m => () => HostileAttempt.LoadAndPredict(m, F("model.weights.h5"), inputs), F("model.weights.h5")),
            "weights" => (B("model.weights.h5"), "model.weights.h5", m => () => HostileAttempt.LoadAndPredict(F("model.json"), m, inputs), F("model.json")),
            "legacy" => (B("model.legacy-weights.h5"), "model.legacy-weights.h5", m => () => HostileAttempt.LoadAndPredict(F("model.json"), m, inputs), F("model.json")),
            "npz" => (B("io.npz"), "io.npz", m => () => HostileAttempt.ReadData(m), null),
            "npy" => (Mutations.Unzip(B("io.npz")).First().Bytes, "input.npy", m => () => HostileAttempt.ReadData(m), null),
            _ => throw new ArgumentException(target),
        };
    }

    [Theory]
    [MemberData(nameof(CaseTargets))]
    public void RandomMutationsLoadOrAreRefused(string caseName, string target)
    {
        var (bytes, fileName, read, partner) = Target(caseName, target);
        int seed = (caseName + target).Aggregate(17, (h, c) => h * 31 + c);
        var mutants = Mutations.Truncations(bytes)
            .Concat(Mutations.BitFlips(bytes, seed, 40 * Mutations.Scale))
            .Concat(Mutations.ByteOverwrites(bytes, seed, 20 * Mutations.Scale));
        var counts = RunAll(mutants, fileName, read, partner);
        output.WriteLine($"{caseName} {target}: {counts[HostileOutcome.Loaded]} loaded, {counts[HostileOutcome.Refused]} refused");
    }

    /// <summary>
    /// Issue 19's files that reach outside themselves (<c>hostile/</c>), truncated and bit-flipped: each mutant loads or
    /// is refused like any other, and none that loads carries a byte of the secret its original points at.
    /// </summary>
    [Theory]
    [MemberData(nameof(UntrustedFileTests.HostileFiles), MemberType = typeof(UntrustedFileTests))]
    public void MutatedUnsafeConstructsNeverLeakWhatTheyPointAt(string fileName)
    {
        UntrustedFileTests.PlantSecrets();
        var bytes = File.ReadAllBytes(Path.Combine(UntrustedFileTests.Hostile, fileName));
        var inputs = Inputs("core/embedding");
        int seed = fileName.Aggregate(17, (h, c) => h * 31 + c);
        var mutants = Mutations.Truncations(bytes).Concat(Mutations.BitFlips(bytes, seed, 10 * Mutations.Scale));
        var counts = RunAll(mutants, fileName, m => () =>
        {
            UntrustedFileTests.AssertNoSecret(KerasModelReader.Load(m));
            HostileAttempt.LoadAndPredict(m, null, inputs);
        }, null);
        output.WriteLine($"{fileName}: {counts[HostileOutcome.Loaded]} loaded, {counts[HostileOutcome.Refused]} refused");
    }

    Dictionary<HostileOutcome, int> RunAll(IEnumerable<(string Label, byte[] Bytes)> mutants, string fileName, Func<string, Action> read, string? partner)
    {
        var counts = new Dictionary<HostileOutcome, int> { [HostileOutcome.Loaded] = 0, [HostileOutcome.Refused] = 0 };
        var dir = Directory.CreateDirectory(Path.Combine(scratch, Guid.NewGuid().ToString("N"))).FullName;
        var path = Path.Combine(dir, fileName);
        foreach (var (label, mutant) in mutants)
        {
            File.WriteAllBytes(path, mutant);
            string[] paths = partner is null ? [path] : [path, partner];
            try { counts[HostileAttempt.Run($"{fileName} {label}", paths, read(path))]++; }
            catch (Xunit.Sdk.XunitException) when (Environment.GetEnvironmentVariable("KERASPORT_HOSTILE_DUMP") is { Length: > 0 } dump)
            {
                // Keep the offending mutant for reproduction (e.g. with kerasport or the fuzz harness).
                File.Copy(path, Path.Combine(Directory.CreateDirectory(dump).FullName, $"{Guid.NewGuid():N}-{fileName}"));
                throw;
            }
        }
        return counts;
    }

    HostileOutcome Attempt(string label, string fileName, byte[] bytes, Func<string, Action> read, string? partner = null)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(scratch, Guid.NewGuid().ToString("N"))).FullName, fileName);
        File.WriteAllBytes(path, bytes);
        return HostileAttempt.Run(label, partner is null ? [path] : [path, partner], read(path));
    }

    HostileOutcome AttemptJson(string label, string caseName, string json) =>
        Attempt(label, "model.json", Encoding.UTF8.GetBytes(json),
            m => () => HostileAttempt.LoadAndPredict(m, Path.Combine(CaseDir(caseName), "model.weights.h5"), Inputs(caseName)),
            Path.Combine(CaseDir(caseName), "model.weights.h5"));

    HostileOutcome AttemptArchiveConfig(string label, string caseName, byte[] config)
    {
        var entries = Mutations.Unzip(File.ReadAllBytes(Path.Combine(CaseDir(caseName), "model.keras")));
        var zip = Mutations.Zip(entries.Select(e => e.Name == "config.json" ? (e.Name, config) : e).ToArray());
        return Attempt(label, "model.keras", zip, m => () => HostileAttempt.LoadAndPredict(m, null, Inputs(caseName)));
    }

    [Theory]
    [InlineData("core/embedding", 12)]
    [InlineData("attention/mha_self", 3)]
    public void EveryConfigLeafReplacedByHostileValues(string caseName, int valuesPerLeaf)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(CaseDir(caseName), "model.json")))!;
        var random = new Random(4242);
        int loaded = 0, refused = 0;
        foreach (var path in Mutations.LeafPaths(root))
            foreach (var value in Mutations.HostileValues.OrderBy(_ => random.Next()).Take(valuesPerLeaf * Mutations.Scale))
            {
                var label = $"{string.Join(".", path)} := {value?.ToJsonString() ?? "null"}";
                if (AttemptJson(label, caseName, Mutations.Replace(root, path, value).ToJsonString()) == HostileOutcome.Loaded) loaded++;
                else refused++;
            }
        output.WriteLine($"{caseName}: {loaded} loaded, {refused} refused");
    }

    [Fact]
    public void DeeplyNestedConfigsAreRefused()
    {
        const int depth = 100_000;
        var deep = Mutations.DeepJson(depth);
        Assert.Equal(HostileOutcome.Refused, AttemptJson("100000-level JSON", "core/embedding", deep));
        Assert.Equal(HostileOutcome.Refused, AttemptJson("100000-level JSON string", "core/embedding", System.Text.Json.JsonSerializer.Serialize(deep)));
        var model = File.ReadAllText(Path.Combine(CaseDir("core/embedding"), "model.json"));
        Assert.Equal(HostileOutcome.Refused, AttemptJson("100000 levels inside a layer config", "core/embedding", model.Replace("\"sparse\": false", "\"sparse\": " + deep)));
        Assert.Equal(HostileOutcome.Refused, AttemptArchiveConfig("100000-level config.json", "core/embedding", Encoding.UTF8.GetBytes(deep)));
        var weights = Path.Combine(CaseDir("core/embedding"), "model.weights.h5");
        Func<string, Action> yaml = m => () => HostileAttempt.LoadAndPredict(m, weights, Inputs("core/embedding"));
        Assert.Equal(HostileOutcome.Refused, Attempt("100000-level YAML flow", "model.yaml", Encoding.UTF8.GetBytes("class_name: " + deep), yaml, weights));
        var block = new StringBuilder("class_name: Functional\nconfig:\n");
        for (int i = 1; i < 3000; i++) block.Append(' ', i).Append("- \n");
        Assert.Equal(HostileOutcome.Refused, Attempt("3000-level YAML block", "model.yaml", Encoding.UTF8.GetBytes(block.ToString()), yaml, weights));
        var mapping = new StringBuilder("class_name: Functional\nconfig:\n");
        for (int i = 1; i < 3000; i++) mapping.Append(' ', i).Append("a:\n");
        Assert.Equal(HostileOutcome.Refused, Attempt("3000-level YAML mapping", "model.yaml", Encoding.UTF8.GetBytes(mapping.ToString()), yaml, weights));
    }

    static JsonObject EmbeddingConfig() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(CaseDir("core/embedding"), "model.json")))!;

    static JsonArray LayersOf(JsonObject model) => (JsonArray)model["config"]!["layers"]!;

    /// <summary>The Keras 3 inbound_nodes entry that calls a layer on one tensor of <paramref name="layer"/>.</summary>
    static JsonArray CallOn(string layer, int node = 0, int tensor = 0) =>
        [new JsonObject { ["args"] = new JsonArray(new JsonObject { ["class_name"] = "__keras_tensor__", ["config"] = new JsonObject { ["shape"] = new JsonArray(null, 7), ["dtype"] = "float32", ["keras_history"] = new JsonArray(layer, node, tensor) } }), ["kwargs"] = new JsonObject() }];

    public static TheoryData<string> GraphBreaks() => ["duplicate name", "dangling layer", "dangling node", "dangling tensor", "cycle", "self loop", "ghost output", "ghost input", "input is not an InputLayer", "no layers", "output node out of range"];

    [Theory]
    [MemberData(nameof(GraphBreaks))]
    public void BrokenGraphsAreRefused(string breakage)
    {
        var model = EmbeddingConfig();
        var layers = LayersOf(model);
        var config = (JsonObject)model["config"]!;
        // tokens -> embedding -> flatten -> dense
        switch (breakage)
        {
            case "duplicate name": layers[2]!["name"] = "embedding"; layers[2]!["config"]!["name"] = "embedding"; break;
            case "dangling layer": layers[2]!["inbound_nodes"] = CallOn("ghost"); break;
            case "dangling node": layers[2]!["inbound_nodes"] = CallOn("embedding", node: 5); break;
            case "dangling tensor": layers[2]!["inbound_nodes"] = CallOn("embedding", tensor: 9); break;
            case "cycle": layers[1]!["inbound_nodes"] = CallOn("dense"); break;
            case "self loop": layers[2]!["inbound_nodes"] = CallOn("flatten"); break;
            case "ghost output": config["output_layers"] = new JsonArray(new JsonArray("ghost", 0, 0)); break;
            case "ghost input": config["input_layers"] = new JsonArray(new JsonArray("ghost", 0, 0)); break;
            case "input is not an InputLayer": config["input_layers"] = new JsonArray(new JsonArray("dense", 0, 0)); break;
            case "no layers": config["layers"] = new JsonArray(); break;
            case "output node out of range": config["output_layers"] = new JsonArray(new JsonArray("dense", 3, 0)); break;
        }
        Assert.Equal(HostileOutcome.Refused, AttemptJson(breakage, "core/embedding", model.ToJsonString()));
        Assert.Equal(HostileOutcome.Refused, AttemptArchiveConfig(breakage, "core/embedding", Encoding.UTF8.GetBytes(model.ToJsonString())));
    }

    [Theory]
    [InlineData("1099511627776")]
    [InlineData("-7")]
    [InlineData("0")]
    [InlineData("\"seven\"")]
    public void AbsurdInputShapesAreRefused(string dim)
    {
        var model = EmbeddingConfig();
        LayersOf(model)[0]!["config"]!["batch_shape"] = JsonNode.Parse($"[null, {dim}]");
        // Predicting on the golden input may go through (Keras checks the shape only when tracing); building the
        // architecture alone sizes a dummy batch from batch_shape, so that path must refuse before allocating.
        AttemptJson($"batch_shape [null, {dim}]", "core/embedding", model.ToJsonString());
        var outcome = Attempt($"architecture-only, batch_shape [null, {dim}]", "model.json", Encoding.UTF8.GetBytes(model.ToJsonString()),
            m => () => KerasModel.Create(KerasModelReader.Load(m), initializeMissingWeights: true).Dispose());
        if (dim == "1099511627776") Assert.Equal(HostileOutcome.Refused, outcome);
    }

    [Theory]
    [InlineData("complex128")]
    [InlineData("string")]
    [InlineData("42")]
    public void WrongDTypesLoadOrAreRefused(string dtype)
    {
        var model = EmbeddingConfig();
        LayersOf(model)[0]!["config"]!["dtype"] = dtype == "42" ? JsonValue.Create(42) : JsonValue.Create(dtype);
        LayersOf(model)[3]!["config"]!["dtype"] = dtype == "42" ? JsonValue.Create(42) : JsonValue.Create(dtype);
        AttemptJson($"dtype {dtype}", "core/embedding", model.ToJsonString());
    }

    static byte[] NpyWithHeader(string header, int dataBytes = 16)
    {
        var text = Encoding.Latin1.GetBytes(header + "\n");
        var bytes = new byte[10 + text.Length + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        text.CopyTo(bytes, 10);
        return bytes;
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 9223372036854775807), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (0, 1099511627776), }")]
    [InlineData("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")]
    [InlineData("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((((1,),),),),),),),),),),),),),),),),),),),), }")]
    public void HostileNpyHeadersAreRefusedOrRead(string header)
    {
        var npy = NpyWithHeader(header);
        Attempt(header, "x.npy", npy, m => () => HostileAttempt.ReadData(m));
        Attempt(header, "x.npz", Mutations.Zip(("x.npy", npy)), m => () => HostileAttempt.ReadData(m));
    }

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.weights.h5")]
    [InlineData("model.legacy-weights.h5")]
    [InlineData("model.keras")]
    public void AbsurdHdf5DatasetDimensionsAreRefused(string fileName)
    {
        // Patch each weight's dataspace dimensions (8-byte little-endian in the dataspace message) to hostile sizes.
        var dir = CaseDir("core/embedding");
        var shapes = KerasModelReader.Load(Path.Combine(dir, "model.h5")).Layers.SelectMany(l => l.Weights).Select(w => w.Value.Shape).Where(s => s.Length > 0).ToList();
        var original = File.ReadAllBytes(Path.Combine(dir, fileName));
        bool archive = fileName.EndsWith(".keras", StringComparison.Ordinal);
        var entries = archive ? Mutations.Unzip(original) : null;
        var h5 = archive ? entries!.Single(e => e.Name == "model.weights.h5").Bytes : original;
        Func<string, Action> read = fileName switch
        {
            "model.weights.h5" or "model.legacy-weights.h5" => m => () => HostileAttempt.LoadAndPredict(Path.Combine(dir, "model.json"), m, Inputs("core/embedding")),
            _ => m => () => HostileAttempt.LoadAndPredict(m, null, Inputs("core/embedding")),
        };
        int patched = 0;
        foreach (var shape in shapes)
        {
            var pattern = shape.SelectMany(d => BitConverter.GetBytes((ulong)d)).ToArray();
            foreach (var hostile in new[] { 1UL << 40, 0UL, 1UL << 62, ulong.MaxValue, (ulong)int.MaxValue })
                for (int at = h5.AsSpan().IndexOf(pattern); at >= 0; at = h5.AsSpan(at + 1).IndexOf(pattern) is var next and >= 0 ? at + 1 + next : -1)
                {
                    var copy = (byte[])h5.Clone();
                    BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), hostile);
                    var bytes = archive ? Mutations.Zip(entries!.Select(e => e.Name == "model.weights.h5" ? (e.Name, copy) : e).ToArray()) : copy;
                    Attempt($"dims ({string.Join(", ", shape)}) at {at} := {hostile}", fileName, bytes, read,
                        fileName.Contains("weights", StringComparison.Ordinal) ? Path.Combine(dir, "model.json") : null);
                    patched++;
                }
        }
        Assert.True(patched > 0, "no dataspace found to patch");
        output.WriteLine($"{fileName}: {patched} dataspace patches");
    }

    byte[] EmbeddingArchive => File.ReadAllBytes(Path.Combine(CaseDir("core/embedding"), "model.keras"));

    HostileOutcome AttemptArchive(string label, byte[] zip) =>
        Attempt(label, "model.keras", zip, m => () => HostileAttempt.LoadAndPredict(m, null, Inputs("core/embedding")));

    [Fact]
    public void ZipEntryNamesThatEscapeAreHarmless()
    {
        var entries = Mutations.Unzip(EmbeddingArchive);
        var evil = Path.Combine(Path.GetDirectoryName(scratch)!, "kerasport-zip-slip-" + Guid.NewGuid().ToString("N"));
        foreach (var name in new[] { $"../../{Path.GetFileName(evil)}", evil, "..\\..\\evil.json", "config.json/../../evil", "C:/evil.json" })
        {
            // The escaping entry added next to the real ones, and standing in for config.json.
            AttemptArchive($"extra entry '{name}'", Mutations.Zip([.. entries, (name, Encoding.UTF8.GetBytes("{}"))]));
            Assert.Equal(HostileOutcome.Refused, AttemptArchive($"config.json as '{name}'",
                Mutations.Zip(entries.Select(e => e.Name == "config.json" ? (name, e.Bytes) : e).ToArray())));
        }
        Assert.False(File.Exists(evil) || Directory.Exists(evil), "an entry name escaped to disk");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(scratch)!, "evil*"));
    }

    [Fact]
    public void ZipBombsAreRefusedBeforeExpanding()
    {
        var entries = Mutations.Unzip(EmbeddingArchive);
        var spaces = new byte[80 << 20];
        spaces.AsSpan().Fill((byte)' ');
        var config = entries.Single(e => e.Name == "config.json").Bytes;
        // Honest sizes: config.json claims 80 MB (over the 64 MB config limit) and model.weights.h5 claims 80 MB from a tiny archive.
        var bigConfig = Mutations.Zip(entries.Select(e => e.Name == "config.json" ? (e.Name, [.. config, .. spaces]) : e).ToArray());
        Assert.Equal(HostileOutcome.Refused, AttemptArchive("config.json bomb", bigConfig));
        var bigMetadata = Mutations.Zip(entries.Select(e => e.Name == "metadata.json" ? (e.Name, [.. e.Bytes, .. spaces]) : e).ToArray());
        Assert.Equal(HostileOutcome.Refused, AttemptArchive("metadata.json bomb", bigMetadata));
        // Lying sizes: every entry claims a few bytes but inflates to 80 MB; the reader must stop at the claim.
        var lyingConfig = Mutations.LieAboutSizes(bigConfig, 4096);
        Assert.Equal(HostileOutcome.Refused, AttemptArchive("config.json lying about its size", lyingConfig));
        var weights = entries.Single(e => e.Name == "model.weights.h5").Bytes;
        var lyingWeights = Mutations.LieAboutSizes(Mutations.Zip(entries.Select(e => e.Name == "model.weights.h5" ? (e.Name, [.. weights, .. spaces]) : e).ToArray()), (uint)weights.Length);
        AttemptArchive("model.weights.h5 lying about its size", lyingWeights);
    }

    [Fact]
    public void MissingDuplicateAndExtraArchiveEntries()
    {
        var entries = Mutations.Unzip(EmbeddingArchive);
        Assert.Equal(HostileOutcome.Refused, AttemptArchive("no config.json", Mutations.Zip(entries.Where(e => e.Name != "config.json").ToArray())));
        Assert.Equal(HostileOutcome.Refused, AttemptArchive("no model.weights.h5", Mutations.Zip(entries.Where(e => e.Name != "model.weights.h5").ToArray())));
        Assert.Equal(HostileOutcome.Loaded, AttemptArchive("no metadata.json", Mutations.Zip(entries.Where(e => e.Name != "metadata.json").ToArray())));
        Assert.Equal(HostileOutcome.Loaded, AttemptArchive("extra entries", Mutations.Zip([.. entries, ("assets/vocab.txt", [1, 2, 3]), ("notes/", [])])));
        AttemptArchive("duplicate config.json", Mutations.Zip([.. entries, ("config.json", Encoding.UTF8.GetBytes("{\"class_name\": 1}"))]));
        AttemptArchive("duplicate weights", Mutations.Zip([.. entries, entries.Single(e => e.Name == "model.weights.h5")]));
        foreach (var metadata in new[] { "", "[", "[1, 2]", "{\"keras_version\": 3}", "{\"keras_version\": {}}", "\"3\"", "\u00ff\u00fe" })
            AttemptArchive($"metadata.json '{metadata}'", Mutations.Zip(entries.Select(e => e.Name == "metadata.json" ? (e.Name, Encoding.Latin1.GetBytes(metadata)) : e).ToArray()));
        foreach (var config in new[] { "", "null", "[]", "{\"class_name\": 3}", "{\"class_name\": \"Functional\", \"config\": []}", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [1]}}" })
            Assert.Equal(HostileOutcome.Refused, AttemptArchiveConfig($"config.json '{config}'", "core/embedding", Encoding.UTF8.GetBytes(config)));
        Assert.Equal(HostileOutcome.Refused, AttemptArchiveConfig("config.json not UTF-8", "core/embedding", [0xC3, 0x28, 0xFF, 0xFE, 0x7B]));
    }

    [Fact]
    public void FuzzFindingsAreRefused()
    {
        // Inputs on which AFL++ once made a reader throw an untyped exception (tools/fuzz/findings/<target>/).
        var findings = Path.Combine(TestPaths.RepoRoot, "tools", "fuzz", "findings");
        var files = Directory.GetFiles(findings, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var target = Path.GetFileName(Path.GetDirectoryName(file))!;
            Func<string, Action> read = target switch
            {
                "model" => m => () => KerasModelReader.Load(m),
                "weights" => m => () => KerasModelReader.AttachWeights(KerasModelReader.Load(Path.Combine(CaseDir("core/embedding"), "model.json")), m),
                _ => m => () => HostileAttempt.ReadData(m),
            };
            Assert.Equal(HostileOutcome.Refused, Attempt($"fuzz finding {target}/{Path.GetFileName(file)}", Path.GetFileName(file), File.ReadAllBytes(file), read));
        }
    }

    [Fact]
    public void RefusedHdf5FilesAreClosed()
    {
        // A file PureHDF rejects while opening must not stay open: a service would leak a handle per hostile file,
        // and on Linux .NET's advisory lock kept the path from being rewritten.
        var bytes = File.ReadAllBytes(Path.Combine(CaseDir("core/embedding"), "model.weights.h5"));
        bytes.AsSpan(8, 8).Fill((byte)'x');
        var path = Path.Combine(scratch, "rejected.h5");
        File.WriteAllBytes(path, bytes);
        Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        using (var rewrite = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None)) rewrite.WriteByte(0);
    }

    [Fact]
    public void NonFiniteWeightsLoadAndPropagateAsInKeras()
    {
        // Keras does not check weights for NaN or Inf: such a model loads and its outputs are NaN/Inf. KerasPort does the same.
        var description = KerasModelReader.Load(Path.Combine(CaseDir("core/embedding"), "model.keras"));
        var poisoned = description with
        {
            Layers = description.Layers.Select(l => l with
            {
                Weights = l.Weights.Select(w => w with { Value = NdArray.Of(Enumerable.Repeat(float.NaN, (int)w.Value.Length).ToArray(), w.Value.Shape) }).ToList(),
            }).ToList(),
        };
        using var model = KerasModel.Create(poisoned);
        var outputs = model.Predict(Inputs("core/embedding"));
        Assert.All(outputs[0].ToFloats(), v => Assert.True(float.IsNaN(v)));
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
