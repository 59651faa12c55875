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
// parsing instead of stopping at a checksum; its entries point into the bundled data shard, and every one is read).
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
    };

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
