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

    /// <summary>
    /// With a fixed thread count, every call of every thread gives exactly the same bytes. With the default, each call
    /// runs on one thread or a team (IntraOpThreads), and its bytes are exactly those of a model fixed to that count:
    /// reductions may sum in another order on another team size, so the two may differ in the last bits.
    /// </summary>
    [Fact]
    public void EightThreadsGetTheBitsOfTheirTeamSize()
    {
        var (fixedModel, inputs) = Load();
        using var teamModel = KerasModel.Create(fixedModel.Description, new KerasModelOptions { Threads = Environment.ProcessorCount });
        using var singleModel = KerasModel.Create(fixedModel.Description, new KerasModelOptions { Threads = 1 });
        using var defaultModel = KerasModel.Create(fixedModel.Description, new KerasModelOptions { ChooseThreadsPerCall = true });
        fixedModel.Dispose();
        byte[][] allowed = [Bytes(singleModel.Predict(inputs)), Bytes(teamModel.Predict(inputs))];
        Assert.Equal(0, MismatchesFromEightThreads(teamModel, inputs, [allowed[1]]));
        Assert.Equal(0, MismatchesFromEightThreads(singleModel, inputs, [allowed[0]]));
        Assert.Equal(0, MismatchesFromEightThreads(defaultModel, inputs, allowed));
    }

    static int MismatchesFromEightThreads(KerasModel model, NdArray[] inputs, byte[][] allowed)
    {
        var mismatches = 0;
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 25; i++)
            {
                var bytes = Bytes(model.Predict(inputs));
                if (!allowed.Any(a => bytes.AsSpan().SequenceEqual(a))) Interlocked.Increment(ref mismatches);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return mismatches;
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
