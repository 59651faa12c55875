using System.Diagnostics;
using System.Runtime.InteropServices;
using KerasPort.Cli.Bench;
using TorchSharp;
using Xunit.Abstractions;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// A loaded model inside a long-lived service: many threads predicting at once get exactly the single-threaded
/// outputs, and thousands of predictions leave no TorchSharp tensor alive and resident memory flat.
/// The soak count defaults to 500; <c>KERASPORT_SOAK_COUNT=10000 dotnet test Tests --filter SoakLeavesNoTensorsAndFlatMemory</c> runs the full soak.
/// </summary>
[Collection(nameof(ConcurrencySoakTests))]
public sealed class ConcurrencySoakTests(ITestOutputHelper output)
{
    static readonly string Case = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "attention", "mha_self");

    static (KerasModel Model, NdArray[] Inputs) Load()
    {
        var inputs = NpzArchive.Read(Path.Combine(Case, "io.npz")).Where(kv => kv.Key.StartsWith("in/", StringComparison.Ordinal)).Select(kv => kv.Value).ToArray();
        return (KerasModel.Create(KerasModelReader.Load(Path.Combine(Case, "model.keras"))), inputs);
    }

    static byte[] Bytes(NdArray[] outputs) => outputs.SelectMany(o => MemoryMarshal.AsBytes(o.ToFloats().AsSpan()).ToArray()).ToArray();

    /// <summary>Tensors alive on this thread, as counted by TorchSharp's dispose-scope statistics.</summary>
    static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void EightThreadsGetBitIdenticalOutputs()
    {
        var (model, inputs) = Load();
        using (model)
        {
            var expected = Bytes(model.Predict(inputs));
            var mismatches = 0;
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < 25; i++)
                    if (!Bytes(model.Predict(inputs)).AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref mismatches);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(0, mismatches);
        }
    }

    [Fact]
    public void SoakLeavesNoTensorsAndFlatMemory()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("KERASPORT_SOAK_COUNT"), out var n) && n > 0 ? n : 500;
        var (model, inputs) = Load();
        using (model)
        {
            long start = ResidentMemory.Bytes();
            long liveBefore = LiveTensors;
            int warm = Math.Max(50, count / 10);
            long warmResident = 0, peak = 0, warmManaged = 0;
            for (int i = 0; i < count; i++)
            {
                model.Predict(inputs);
                if (i == warm) { GC.Collect(); warmResident = ResidentMemory.Bytes(); warmManaged = GC.GetTotalMemory(forceFullCollection: true); }
                if (i > warm && i % 50 == 0) peak = Math.Max(peak, ResidentMemory.Bytes());
            }
            long endManaged = GC.GetTotalMemory(forceFullCollection: true);
            long end = ResidentMemory.Bytes();
            long liveAfter = LiveTensors;
            output.WriteLine($"{count} predictions: resident {start >> 20} MiB at start, {warmResident >> 20} MiB warm (after {warm}), peak {peak >> 20} MiB, {end >> 20} MiB at end; managed heap {warmManaged >> 10} KiB warm, {endManaged >> 10} KiB at end; live tensors on this thread {liveBefore} before, {liveAfter} after");
            Assert.Equal(liveBefore, liveAfter);
            // Flat once warm: allocator noise of a few MiB is fine, a per-prediction leak of even 10 KiB is not (at 500+ predictions).
            Assert.True(end - warmResident < 48L << 20, $"resident memory grew from {warmResident >> 20} MiB (warm) to {end >> 20} MiB");
        }
    }

    [Fact]
    public void ResidentMemoryAgreesWithTheProcessAndSeesNativePagesTouchedAsAnonymous()
    {
        long before = ResidentMemory.Bytes();
        long process = Process.GetCurrentProcess().WorkingSet64;
        Assert.InRange(before, process * 9 / 10, process * 11 / 10);

        const int size = 64 << 20;
        // Fresh pages from the kernel: malloc could hand back heap pages a model already made resident (the runtime
        // keeps freed native memory by default, KerasModelOptions.RetainNativeMemory), and then nothing would grow.
        var block = Mmap(0, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        Assert.NotEqual(-1, (long)block);
        try
        {
            var (_, fileBackedBefore, _) = ResidentMemory.Read();
            for (int offset = 0; offset < size; offset += 4096) Marshal.WriteByte(block, offset, 1);
            Assert.True(ResidentMemory.Bytes() - before >= size * 3L / 4, "64 MiB of touched native pages did not show as resident");
            // They are anonymous memory in a private mapping, not file-backed pages.
            var (resident, fileBacked, mapped) = ResidentMemory.Read();
            Assert.InRange(fileBacked, 1, resident);
            Assert.True(fileBacked - fileBackedBefore < size / 4, "touched heap pages counted as file-backed");
            Assert.True(mapped >= size, "a 64 MiB heap block is not among the private mappings");
        }
        finally
        {
            Munmap(block, size);
        }
    }

    const int ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20;

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    static extern int Munmap(nint address, nuint length);
}

/// <summary>Runs the soak alone: resident memory is process-wide, so tests running beside it would look like a leak.</summary>
[CollectionDefinition(nameof(ConcurrencySoakTests), DisableParallelization = true)]
public sealed class SoakCollection;
