using KerasPort;
using KerasPort.Converters;
using KerasPort.Converters.Numpy;
using KerasPort.Converters.SavedModel;
using KerasPort.Converters.SavedModel.Proto;
using KerasPort.Tests.Hardening;
using SharpFuzz;

// Reads one input with the reader named by the first argument. The contract under test: every input either reads
// or throws a KerasPortException; any other exception (or a hang, or a crash) is a finding.
//   KerasPort.Fuzz TARGET             run under afl-fuzz (input from AFL, see tools/fuzz/run.sh)
//   KerasPort.Fuzz TARGET FILE...     replay files (e.g. AFL's crashes) and print what each did
// TARGET: model (any model file: .keras zip, HDF5, JSON, YAML; format detected by content), weights (HDF5 weights
// for the bundled architecture), npy, npz, index (the data block of a TensorFlow checkpoint index, the variables.index
// of a SavedModel: wrapped in a table with valid block checksums, so that mutations reach the entry and BundleEntryProto
// parsing instead of stopping at a checksum; its entries point into the bundled data shard, and every one is read),
// sharded (the index of sharded Keras 3 weights, model.weights.json, beside the three shards of the committed
// keras3/sharded_weights case, attached to that case's architecture: a shard name must never lead out of the folder).
if (args.Length == 0 || !Readers.TryGetValue(args[0], out var read))
{
    Console.Error.WriteLine($"usage: KerasPort.Fuzz {string.Join("|", Readers.Keys)} [FILE...]");
    return 2;
}
var scratch = Path.Combine(Path.GetTempPath(), $"kerasport-fuzz-{Environment.ProcessId}");
Directory.CreateDirectory(scratch);
if (args.Length > 1)
{
    int failures = 0;
    foreach (var file in args[1..])
    {
        try { read(file); Console.WriteLine($"read     {file}"); }
        catch (KerasPortException e) { Console.WriteLine($"refused  {file}: {e.Message}"); }
        catch (Exception e) { failures++; Console.WriteLine($"ESCAPED  {file}: {e}"); }
    }
    return failures == 0 ? 0 : 1;
}
var input = Path.Combine(scratch, "input");
Fuzzer.OutOfProcess.Run(stream =>
{
    using (var file = File.Create(input)) stream.CopyTo(file);
    try { read(input); }
    catch (KerasPortException) { }
});
return 0;

static partial class Program
{
    static readonly string Architecture = Path.Combine(AppContext.BaseDirectory, "architecture.json");

    static readonly Dictionary<string, Action<string>> Readers = new()
    {
        ["model"] = path => KerasModelReader.Load(path),
        ["weights"] = path => KerasModelReader.AttachWeights(KerasModelReader.Load(Architecture), path),
        ["npy"] = path => NpyFormat.Read(path),
        ["npz"] = path => NpzArchive.Read(path),
        ["index"] = ReadBundle,
        ["sharded"] = ReadShardedIndex,
    };

    static readonly string ShardedCase = Path.Combine(AppContext.BaseDirectory, "sharded");

    /// <summary>
    /// Reads <paramref name="path"/> as <c>model.weights.json</c> beside copies of the bundled shards, in a scratch folder
    /// of its own (so that replaying a seed never writes beside it), with their architecture.
    /// </summary>
    static void ReadShardedIndex(string path)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kerasport-fuzz-{Environment.ProcessId}", "sharded")).FullName;
        foreach (var shard in Directory.GetFiles(ShardedCase, "model_*.weights.h5"))
            if (Path.Combine(folder, Path.GetFileName(shard)) is var copy && !File.Exists(copy)) File.Copy(shard, copy);
        var index = Path.Combine(folder, "model.weights.json");
        File.Copy(path, index, overwrite: true);
        KerasModelReader.Load(Path.Combine(ShardedCase, "model.json"), index);
    }

    /// <summary>Reads <paramref name="path"/> as the data block of a tensor bundle's index beside the bundled data shard, then every tensor it lists.</summary>
    static void ReadBundle(string path)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "bundle");
        const string Shard = "bundle.data-00000-of-00001";
        File.WriteAllBytes(prefix + ".index", TensorBundleFiles.WriteTable(File.ReadAllBytes(path), []));
        File.Copy(Path.Combine(AppContext.BaseDirectory, Shard), Path.Combine(Path.GetDirectoryName(prefix)!, Shard), overwrite: true);
        var bundle = TensorBundle.Open(prefix);
        foreach (var (key, entry) in bundle.Entries)
            if (entry.Dtype == DataType.DtString) bundle.ReadStrings(key);
            else bundle.ReadTensor(key);
    }
}
