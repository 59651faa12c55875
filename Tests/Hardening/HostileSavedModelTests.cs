using System.Text;
using KerasPort.Converters.SavedModel;
using KerasPort.Converters.SavedModel.KerasProto;
using KerasPort.Converters.SavedModel.Proto;
using Xunit.Abstractions;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// Hostile versions of real SavedModel directories (../shared/corpus/savedmodel): every file truncated, bit-flipped and
/// overwritten with extreme values, and structured mutations that re-encode the checkpoint index with valid block
/// checksums so that each check behind them is reached (entries pointing past the data file, absurd shapes, wrong
/// checksums, missing keys, broken object graphs). Every attempt must load or be refused with a typed
/// <see cref="KerasPortException"/> naming a file of the directory, within <see cref="HostileAttempt"/>'s bounds.
/// </summary>
public sealed class HostileSavedModelTests(ITestOutputHelper output) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("kerasport-hostile-savedmodel-").FullName;

    /// <summary>A TF 2.11 directory with keras_metadata.pb, and a TF 2.3 one whose Keras metadata is in saved_model.pb.</summary>
    const string WithMetadata = "functional_mlp_tf211", Tf23 = "mlp_sequential_tf23";

    static readonly string[] Files = ["saved_model.pb", "keras_metadata.pb", "variables/variables.index", "variables/variables.data-00000-of-00001"];

    static string Source(string name) => SharedData.CorpusPath("savedmodel", name);

    static readonly Dictionary<string, NdArray[]> inputs = [];

    /// <summary>Seeded inputs of the original model's input shapes.</summary>
    static NdArray[] Inputs(string name)
    {
        lock (inputs)
        {
            if (inputs.TryGetValue(name, out var known)) return known;
            using var model = KerasModel.Load(Source(name));
            var random = new Random(5);
            return inputs[name] = model.Graph.InputLayers.Select(input =>
            {
                var shape = input.ConcreteShape(batch: 2, free: 8);
                return NdArray.Of(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)random.NextDouble()).ToArray(), shape);
            }).ToArray();
        }
    }

    /// <summary>A fresh copy of the corpus directory <paramref name="name"/> in the scratch folder.</summary>
    string CopyOf(string name)
    {
        var target = Path.Combine(scratch, Guid.NewGuid().ToString("N"), name);
        foreach (var file in Directory.GetFiles(Source(name), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Source(name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    static HostileOutcome Attempt(string label, string dir, string name) =>
        HostileAttempt.Run(label, [dir], () => HostileAttempt.LoadAndPredict(dir, null, Inputs(name)));

    public static TheoryData<string, string> DirectoryFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Files) data.Add(WithMetadata, file);
        foreach (var file in Files.Where(f => f != "keras_metadata.pb")) data.Add(Tf23, file);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(DirectoryFiles))]
    public void RandomMutationsLoadOrAreRefused(string name, string file)
    {
        var dir = CopyOf(name);
        var path = Path.Combine(dir, file);
        var bytes = File.ReadAllBytes(path);
        int seed = (name + file).Aggregate(17, (h, c) => h * 31 + c);
        int loaded = 0, refused = 0;
        foreach (var (label, mutant) in Mutations.Truncations(bytes)
            .Concat(Mutations.BitFlips(bytes, seed, 40 * Mutations.Scale))
            .Concat(Mutations.ByteOverwrites(bytes, seed, 20 * Mutations.Scale)))
        {
            File.WriteAllBytes(path, mutant);
            if (Attempt($"{name}/{file} {label}", dir, name) == HostileOutcome.Loaded) loaded++;
            else refused++;
        }
        output.WriteLine($"{name}/{file}: {loaded} loaded, {refused} refused");
    }

    [SkippableTheory]
    [InlineData(WithMetadata)]
    [InlineData(Tf23)]
    public void EveryFlipInsideAWeightIsCaughtByItsChecksum(string name)
    {
        // Flip one bit in the middle of each tensor the model reads: the entry's CRC-32C must catch it.
        var original = TensorBundle.Open(Path.Combine(Source(name), "variables", "variables"));
        int flipped = 0;
        foreach (var (key, entry) in original.Entries.Where(e => e.Value.Dtype == DataType.DtFloat && e.Value.Size > 0 && !e.Key.StartsWith("optimizer", StringComparison.Ordinal) && !e.Key.Contains("OPTIMIZER_SLOT") && !e.Key.StartsWith("keras_api", StringComparison.Ordinal)))
        {
            var dir = CopyOf(name);
            var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
            var bytes = File.ReadAllBytes(data);
            bytes[entry.Offset + entry.Size / 2] ^= 0x10;
            File.WriteAllBytes(data, bytes);
            var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(dir));
            Assert.Equal(key, error.Part);
            Assert.Contains("checksum mismatch", error.Message);
            flipped++;
        }
        Assert.Equal(KerasModelReader.Load(Source(name)).Layers.Sum(l => l.Weights.Count), flipped);
    }

    /// <summary>Rewrites the copy's index with <paramref name="change"/> applied to its entries (block checksums stay valid).</summary>
    HostileOutcome WithIndex(string label, Func<List<KeyValuePair<string, byte[]>>, IEnumerable<KeyValuePair<string, byte[]>>> change, string name = WithMetadata)
    {
        var dir = CopyOf(name);
        var index = Path.Combine(dir, "variables", "variables.index");
        File.WriteAllBytes(index, TensorBundleFiles.WriteIndex(change(TensorBundleFiles.ReadIndex(File.ReadAllBytes(index))).ToList()));
        return Attempt(label, dir, name);
    }

    /// <summary>The checkpoint key of the first kernel the model reads.</summary>
    static string KernelKey(List<KeyValuePair<string, byte[]>> entries) => entries.First(e => e.Key.EndsWith("kernel/.ATTRIBUTES/VARIABLE_VALUE", StringComparison.Ordinal)).Key;

    HostileOutcome WithEntry(string label, Action<BundleEntryProto> change, Func<List<KeyValuePair<string, byte[]>>, string>? key = null) =>
        WithIndex(label, entries =>
        {
            var target = (key ?? KernelKey)(entries);
            return entries.Select(e =>
            {
                if (e.Key != target) return e;
                var entry = TensorBundleFiles.Entry(e.Value);
                change(entry);
                return KeyValuePair.Create(e.Key, TensorBundleFiles.Bytes(entry));
            });
        });

    /// <summary>Issue 19: a SavedModel is a folder, and neither its variables/ nor a file in it may lead out through a symbolic link.</summary>
    [SkippableTheory]
    [InlineData("variables")]
    [InlineData("variables/variables.data-00000-of-00001")]
    public void SymbolicLinksOutOfTheDirectoryAreRefused(string linked)
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs a privilege on Windows");
        var directory = CopyOf(WithMetadata);
        var outside = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        Directory.Move(Path.Combine(directory, "variables"), outside);
        if (linked == "variables") Directory.CreateSymbolicLink(Path.Combine(directory, "variables"), outside);
        else
        {
            CopyDirectory(outside, Path.Combine(directory, "variables"));
            File.Delete(Path.Combine(directory, linked));
            File.CreateSymbolicLink(Path.Combine(directory, linked), Path.Combine(outside, Path.GetFileName(linked)));
        }
        var error = Assert.Throws<UnsafeModelFileException>(() => KerasModelReader.Load(directory));
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(linked, error.Part);
    }

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [SkippableFact]
    public void ReEncodedIndexStillLoads()
    {
        // The writer behind the structured mutations reproduces a valid index.
        Assert.Equal(HostileOutcome.Loaded, WithIndex("unchanged", e => e));
        Assert.Equal(HostileOutcome.Loaded, WithIndex("unchanged (TF 2.3)", e => e, Tf23));
    }

    [SkippableFact]
    public void HostileEntriesAreRefused()
    {
        var refusals = new (string Label, Action<BundleEntryProto> Change)[]
        {
            ("offset past the data file", e => e.Offset = 1L << 40),
            ("offset at the end of the data file", e => e.Offset += 1L << 20),
            ("negative offset", e => e.Offset = -8),
            ("size of 1 TiB", e => e.Size = 1L << 40),
            ("size one byte short", e => e.Size -= 1),
            ("negative size", e => e.Size = -1),
            ("shape of 2^80 elements", e => { e.Shape.Dim.Clear(); e.Shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = 1L << 40 }); e.Shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = 1L << 40 }); }),
            ("negative dimension", e => e.Shape.Dim[0].Size = -3),
            ("unknown rank", e => e.Shape.UnknownRank = true),
            ("wrong shape for the layer", e => { e.Shape.Dim[0].Size /= 2; e.Shape.Dim[1].Size *= 2; }),
            ("shard 7 of 1", e => e.ShardId = 7),
            ("negative shard", e => e.ShardId = -1),
            ("bad checksum", e => e.Crc32C ^= 1),
            ("string dtype", e => e.Dtype = DataType.DtString),
            ("complex dtype", e => e.Dtype = DataType.DtComplex64),
            ("unknown dtype", e => e.Dtype = (DataType)999),
            ("partitioned", e => e.Slices.Add(new TensorSliceProto())),
        };
        foreach (var (label, change) in refusals)
            Assert.True(WithEntry(label, change) == HostileOutcome.Refused, $"{label}: loaded");
    }

    [SkippableFact]
    public void BrokenIndexesAreRefused()
    {
        Assert.Equal(HostileOutcome.Refused, WithIndex("kernel entry missing", e => e.Where(x => x.Key != KernelKey(e))));
        Assert.Equal(HostileOutcome.Refused, WithIndex("object graph missing", e => e.Where(x => x.Key != CheckpointWeights.ObjectGraphKey)));
        Assert.Equal(HostileOutcome.Refused, WithIndex("header missing", e => e.Skip(1)));
        Assert.Equal(HostileOutcome.Refused, WithIndex("keys out of order", e => Enumerable.Reverse(e)));
        Assert.Equal(HostileOutcome.Refused, WithIndex("duplicate key", e => [.. e, e[^1]]));
        Assert.Equal(HostileOutcome.Refused, WithIndex("no entries", _ => []));
        Assert.Equal(HostileOutcome.Refused, WithIndex("entry is not a protobuf", e => e.Select(x => x.Key == KernelKey(e) ? KeyValuePair.Create(x.Key, new byte[] { 0xff, 0xff, 0xff }) : x)));
        foreach (var (label, header) in new (string, BundleHeaderProto)[]
        {
            ("no shards", new BundleHeaderProto { NumShards = 0 }),
            ("2^30 shards", new BundleHeaderProto { NumShards = 1 << 30 }),
            ("big-endian", new BundleHeaderProto { NumShards = 1, Endianness = BundleHeaderProto.Types.Endianness.Big }),
            ("newer format", new BundleHeaderProto { NumShards = 1, Version = new VersionDef { Producer = 9, MinConsumer = 9 } }),
            ("two shards, the second missing", new BundleHeaderProto { NumShards = 2 }),
        })
            Assert.Equal(HostileOutcome.Refused, WithIndex(label, e => e.Select(x => x.Key == "" ? KeyValuePair.Create(x.Key, TensorBundleFiles.Bytes(header)) : x)));
    }

    [SkippableFact]
    public void BrokenTableStructureIsRefused()
    {
        var original = File.ReadAllBytes(Path.Combine(Source(WithMetadata), "variables", "variables.index"));
        foreach (var (label, mutate) in new (string, Action<byte[]>)[]
        {
            ("bad magic", b => b[^1] ^= 0xff),
            ("block checksum", b => b[10] ^= 0x01),
            ("index handle past the end", b => { b[b.Length - 45] = 0xff; b[b.Length - 44] = 0x7f; }),
            ("footer varint never ends", b => b.AsSpan(b.Length - 48, 40).Fill(0xff)),
            ("all zeros", b => Array.Clear(b)),
        })
        {
            var dir = CopyOf(WithMetadata);
            var bytes = (byte[])original.Clone();
            mutate(bytes);
            File.WriteAllBytes(Path.Combine(dir, "variables", "variables.index"), bytes);
            Assert.True(Attempt(label, dir, WithMetadata) == HostileOutcome.Refused, $"{label}: loaded");
        }
    }

    [SkippableFact]
    public void PrefixCompressionBombIsRefusedBeforeExpanding()
    {
        // A 60 KB first key, then 100,000 six-byte entries that each keep the whole previous key and add one byte: the
        // keys would total about 11 GB (sorted and unique, so only a bound on the decoded size stops them).
        using var block = new MemoryStream();
        const int first = 60_000, count = 100_000;
        block.Write([.. TensorBundleFiles.Varint(0), .. TensorBundleFiles.Varint(first), 0]);
        block.Write(Enumerable.Repeat((byte)'a', first).ToArray());
        for (int i = 0; i < count; i++) block.Write([.. TensorBundleFiles.Varint((ulong)(first + i)), 1, 0, (byte)'a']);
        block.Write([0, 0, 0, 0, 1, 0, 0, 0]);
        var dir = CopyOf(WithMetadata);
        File.WriteAllBytes(Path.Combine(dir, "variables", "variables.index"), TensorBundleFiles.WriteTable(block.ToArray(), [(byte)'b']));
        Assert.Equal(HostileOutcome.Refused, Attempt("prefix compression bomb", dir, WithMetadata));
        Assert.Contains("prefix compression", Assert.Throws<ModelFileException>(() => KerasModelReader.Load(dir)).Message);
    }

    /// <summary>Replaces the checkpoint's object graph by <paramref name="strings"/> (appended to the data file, the entry re-pointed).</summary>
    HostileOutcome WithObjectGraphStrings(string label, string name, Func<TrackableObjectGraph, byte[][]> strings)
    {
        var dir = CopyOf(name);
        var prefix = Path.Combine(dir, "variables", "variables");
        var graph = TrackableObjectGraph.Parser.ParseFrom(TensorBundle.Open(prefix).ReadStrings(CheckpointWeights.ObjectGraphKey)[0]);
        var list = strings(graph);
        var (bytes, crc) = TensorBundleFiles.EncodeStrings(list);
        var data = prefix + ".data-00000-of-00001";
        long offset = new FileInfo(data).Length;
        using (var stream = new FileStream(data, FileMode.Append)) stream.Write(bytes);
        var index = prefix + ".index";
        var entries = TensorBundleFiles.ReadIndex(File.ReadAllBytes(index)).Select(e =>
        {
            if (e.Key != CheckpointWeights.ObjectGraphKey) return e;
            var entry = TensorBundleFiles.Entry(e.Value);
            (entry.Offset, entry.Size, entry.Crc32C) = (offset, bytes.Length, crc);
            // A scalar holds one string; other counts are a vector of them.
            entry.Shape = list.Length == 1 ? new TensorShapeProto() : new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = list.Length } } };
            return KeyValuePair.Create(e.Key, TensorBundleFiles.Bytes(entry));
        }).ToList();
        File.WriteAllBytes(index, TensorBundleFiles.WriteIndex(entries));
        return Attempt(label, dir, name);
    }

    HostileOutcome WithObjectGraph(string label, Action<TrackableObjectGraph> change, string name = WithMetadata) =>
        WithObjectGraphStrings(label, name, graph =>
        {
            change(graph);
            return [TensorBundleFiles.Bytes(graph)];
        });

    /// <summary>The checkpoint object of the first layer with weights of the root model.</summary>
    static TrackableObjectGraph.Types.TrackableObject FirstLayer(TrackableObjectGraph g) =>
        g.Nodes[g.Nodes[0].Children.First(c => c.LocalName == "layer_with_weights-0").NodeId];

    static TrackableObjectGraph.Types.TrackableObject VariablesOf(TrackableObjectGraph g, TrackableObjectGraph.Types.TrackableObject layer) =>
        g.Nodes[layer.Children.First(c => c.LocalName == "variables").NodeId];

    [SkippableFact]
    public void BrokenObjectGraphsAreRefused()
    {
        Assert.Equal(HostileOutcome.Loaded, WithObjectGraph("unchanged", _ => { }));
        Assert.Equal(HostileOutcome.Loaded, WithObjectGraph("unchanged (TF 2.3)", _ => { }, Tf23));
        var refusals = new (string Label, Action<TrackableObjectGraph> Change)[]
        {
            ("edge to node 10^6", g => g.Nodes[0].Children[0].NodeId = 1_000_000),
            ("edge to node -1", g => FirstLayer(g).Children[0].NodeId = -1),
            ("variables list renumbered", g => VariablesOf(g, FirstLayer(g)).Children[0].LocalName = "7"),
            ("variable without a value", g => g.Nodes[VariablesOf(g, FirstLayer(g)).Children[0].NodeId].Attributes.Clear()),
            ("variable value under a missing key", g => g.Nodes[VariablesOf(g, FirstLayer(g)).Children[0].NodeId].Attributes[0].CheckpointKey = "no/such/key"),
            ("variable value is the object graph", g => g.Nodes[VariablesOf(g, FirstLayer(g)).Children[0].NodeId].Attributes[0].CheckpointKey = CheckpointWeights.ObjectGraphKey),
            ("layers renamed", g => { foreach (var c in g.Nodes[0].Children) c.LocalName = "x" + c.LocalName; }),
            ("no nodes", g => g.Nodes.Clear()),
        };
        foreach (var (label, change) in refusals)
            Assert.True(WithObjectGraph(label, change) == HostileOutcome.Refused, $"{label}: loaded");
        // Graphs that disagree with saved_model.pb's (found by mutation: two saved objects reached one checkpoint object).
        WithObjectGraph("two layer edges to one object", g => g.Nodes[0].Children.First(c => c.LocalName == "layer-2").NodeId = g.Nodes[0].Children.First(c => c.LocalName == "layer-1").NodeId);
        WithObjectGraph("layer edge to the root", g => g.Nodes[0].Children.First(c => c.LocalName == "layer-1").NodeId = 0);
        Assert.Equal(HostileOutcome.Refused, WithObjectGraphStrings("not a protobuf", WithMetadata, _ => [[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]]));
        Assert.Equal(HostileOutcome.Refused, WithObjectGraphStrings("two strings", WithMetadata, g => [TensorBundleFiles.Bytes(g), TensorBundleFiles.Bytes(g)]));
        Assert.Equal(HostileOutcome.Refused, WithObjectGraphStrings("no strings", WithMetadata, _ => []));
    }

    [SkippableFact]
    public void MissingAndTruncatedFilesAreRefusedNamingThem()
    {
        foreach (var file in Files)
        {
            var dir = CopyOf(WithMetadata);
            File.Delete(Path.Combine(dir, file));
            var outcome = Attempt($"{file} deleted", dir, WithMetadata);
            // Without keras_metadata.pb the metadata is looked for in saved_model.pb, whose TF 2.11 objects have none.
            Assert.Equal(HostileOutcome.Refused, outcome);
        }
        var truncated = CopyOf(WithMetadata);
        var data = Path.Combine(truncated, "variables", "variables.data-00000-of-00001");
        File.WriteAllBytes(data, File.ReadAllBytes(data)[..1000]);
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(truncated));
        Assert.Equal(Path.GetFullPath(data), error.FilePath);
        Assert.Contains("truncated", error.Message);
    }

    /// <summary>Rewrites keras_metadata.pb with <paramref name="change"/> applied.</summary>
    HostileOutcome WithMetadataChanged(string label, Action<SavedMetadata> change)
    {
        var dir = CopyOf(WithMetadata);
        var path = Path.Combine(dir, "keras_metadata.pb");
        var metadata = SavedMetadata.Parser.ParseFrom(File.ReadAllBytes(path));
        change(metadata);
        File.WriteAllBytes(path, TensorBundleFiles.Bytes(metadata));
        return Attempt(label, dir, WithMetadata);
    }

    [SkippableFact]
    public void HostileKerasMetadataIsRefused()
    {
        var refusals = new (string Label, Action<SavedMetadata> Change)[]
        {
            ("node_id past the object graph", m => m.Nodes[1].NodeId = 1 << 30),
            ("negative node_id", m => m.Nodes[1].NodeId = -1),
            ("two entries for one node", m => m.Nodes[2].NodeId = m.Nodes[1].NodeId),
            ("root metadata not JSON", m => m.Nodes[0].Metadata = "{\"class_name\": "),
            ("root metadata a list", m => m.Nodes[0].Metadata = "[1, 2]"),
            ("root metadata with duplicate keys", m => m.Nodes[0].Metadata = "{\"a\": 1, \"a\": 2}"),
            ("root is a layer", m => m.Nodes[0].Identifier = "_tf_keras_layer"),
            ("root has no config", m => m.Nodes[0].Metadata = "{\"class_name\": \"Functional\"}"),
            ("subclassed root", m => m.Nodes[0].Metadata = "{\"class_name\": \"MyModel\", \"name\": \"my_model\"}"),
            ("layer renamed", m => m.Nodes[3].Metadata = m.Nodes[3].Metadata.Replace("\"name\": \"", "\"name\": \"renamed_")),
            ("no nodes", m => m.Nodes.Clear()),
        };
        foreach (var (label, change) in refusals)
            Assert.True(WithMetadataChanged(label, change) == HostileOutcome.Refused, $"{label}: loaded");
        // A 100000-level JSON document is refused by the parser's depth limit, not by the stack.
        Assert.Equal(HostileOutcome.Refused, WithMetadataChanged("deep JSON", m => m.Nodes[0].Metadata = Mutations.DeepJson(100_000)));
    }

    [SkippableFact]
    public void SavedModelsWithoutAKerasModelAreRefused()
    {
        var dir = CopyOf(WithMetadata);
        var path = Path.Combine(dir, "saved_model.pb");
        var saved = KerasPort.Converters.SavedModel.Proto.SavedModel.Parser.ParseFrom(File.ReadAllBytes(path));
        saved.MetaGraphs[0].ObjectGraphDef = null;
        File.WriteAllBytes(path, TensorBundleFiles.Bytes(saved));
        Assert.Equal(HostileOutcome.Refused, Attempt("no object graph", dir, WithMetadata));
        saved.MetaGraphs.Clear();
        File.WriteAllBytes(path, TensorBundleFiles.Bytes(saved));
        Assert.Equal(HostileOutcome.Refused, Attempt("no meta graph", dir, WithMetadata));
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("\b\u0001\u0012garbage"));
        Assert.Equal(HostileOutcome.Refused, Attempt("garbage after the signature", dir, WithMetadata));
    }

    [SkippableFact]
    public void FuzzSeedIndexReadsWithItsDataShard()
    {
        // tools/fuzz's index target starts from this synthetic bundle (written with TensorBundleFiles): the seed is the
        // index's data block, which the harness wraps in a table as here; every entry reads.
        var fuzz = Path.Combine(TestPaths.RepoRoot, "tools", "fuzz");
        File.WriteAllBytes(Path.Combine(scratch, "bundle.index"), TensorBundleFiles.WriteTable(File.ReadAllBytes(Path.Combine(fuzz, "seeds", "index", "bundle-block.bin")), []));
        File.Copy(Path.Combine(fuzz, "bundle", "bundle.data-00000-of-00001"), Path.Combine(scratch, "bundle.data-00000-of-00001"));
        var bundle = TensorBundle.Open(Path.Combine(scratch, "bundle"));
        Assert.Equal([DataType.DtFloat, DataType.DtInt64, DataType.DtHalf, DataType.DtString, DataType.DtBool], bundle.Entries.Values.Select(e => e.Dtype));
        foreach (var (key, entry) in bundle.Entries)
            if (entry.Dtype == DataType.DtString) Assert.Equal(2, bundle.ReadStrings(key).Length);
            else Assert.True(bundle.ReadTensor(key).Length > 0);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
