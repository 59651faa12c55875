using System.Diagnostics;
using System.Globalization;
using KerasPort.Converters.Model;
using KerasPort.Runtime;
using static System.FormattableString;

namespace KerasPort.Cli.Bench;

/// <summary>
/// <c>kerasport bench --soak N</c>: resident memory after warm-up and after <c>N</c> more predictions, with the growth
/// in percent, and the managed heap at both points. At the end it also asks glibc to return free memory
/// (<c>malloc_trim(0)</c>) and measures again: what that releases was cached by the allocator, not leaked.
/// </summary>
/// <remarks>
/// Warm-up lasts <c>N / 10</c> predictions and at least <see cref="WarmUpSeconds"/>: .NET's tiered JIT recompiles hot
/// methods (tier 0, instrumented, then optimized with profile data) for a few seconds after they start running, and
/// the code it adds showed as 8 to 15 MiB of "growth" in a short soak that vanished with <c>DOTNET_TieredCompilation=0</c>
/// (see the README). That is a one-time cost, so the warm reading is taken after it.
/// Resident memory comes from <see cref="ResidentMemory"/>, which does not disturb what it measures. The resident
/// memory is also split into anonymous (heaps) and file-backed (library code paged in as it first runs), beside the
/// size of the private mappings: anonymous growth within unchanged mappings is memory the allocator already held being
/// touched, not new memory.
/// Both readings follow an aggressive full garbage collection (<see cref="SettledManagedHeap"/>): without it, the memory
/// the collector keeps committed for new allocations (its gen-0 budget, not live data) varied by a few MiB between the
/// readings, which showed as -1.5% to +1.8% "growth" of the transformer block in runs of 10,000 predictions.
/// </remarks>
internal static class SoakBench
{
    /// <summary>The shortest warm-up, in seconds.</summary>
    const double WarmUpSeconds = 10;

    /// <summary>Prints the <c>soak</c> lines for <paramref name="count"/> predictions on <paramref name="inputs"/>.</summary>
    public static void Run(KerasModel model, NdArray[] inputs, int batch, int count)
    {
        long start = ResidentMemory.Bytes();
        int warm = 0;
        var warming = Stopwatch.StartNew();
        while (warm < Math.Max(50, count / 10) || warming.Elapsed.TotalSeconds < WarmUpSeconds)
        {
            model.Predict(inputs);
            warm++;
        }
        long warmManaged = SettledManagedHeap();
        long warmCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var warmMemory = ResidentMemory.Read();
        long warmResident = warmMemory.Resident;
        long peak = warmResident;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            model.Predict(inputs);
            if (i % 100 == 0) peak = Math.Max(peak, ResidentMemory.Bytes());
        }
        double seconds = watch.Elapsed.TotalSeconds;
        double allocatedPerPrediction = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
        long endManaged = SettledManagedHeap();
        long endCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var endMemory = ResidentMemory.Read();
        long end = endMemory.Resident;
        long? trimmed = NativeAllocator.TrimFreeMemory() ? ResidentMemory.Bytes() : null;
        Console.WriteLine(Invariant($"soak   batch={batch}  {count} predictions in {seconds:F1} s after {warm} warm-up ones; native memory retained: {KerasModelOptions.NativeMemoryRetained}"));
        Console.WriteLine(Invariant($"soak   resident {Mib(start)} MiB at start, {Mib(warmResident)} MiB warm, peak {Mib(peak)} MiB, {Mib(end)} MiB after {count}: growth {100.0 * (end - warmResident) / warmResident:+0.00;-0.00}% ({(end - warmResident) / 1048576.0:+0.0;-0.0} MiB)"));
        Console.WriteLine(Invariant($"soak   managed heap {warmManaged / 1048576.0:F1} MiB live / {warmCommitted / 1048576.0:F1} MiB committed warm, {endManaged / 1048576.0:F1} / {endCommitted / 1048576.0:F1} MiB after {count}; {allocatedPerPrediction / 1024:F1} KiB allocated per prediction"));
        if (OperatingSystem.IsLinux())
            Console.WriteLine(Invariant($"soak   resident anonymous {Mib(warmResident - warmMemory.FileBacked)} MiB warm, {Mib(end - endMemory.FileBacked)} MiB after; file-backed {Mib(warmMemory.FileBacked)} / {Mib(endMemory.FileBacked)} MiB; private mappings {Mib(warmMemory.Mapped)} / {Mib(endMemory.Mapped)} MiB"));
        if (trimmed is { } afterTrim)
            Console.WriteLine(Invariant($"soak   after malloc_trim(0): resident {Mib(afterTrim)} MiB ({(afterTrim - end) / 1048576.0:+0.0;-0.0} MiB: free memory the allocator had kept)"));
    }

    /// <summary>
    /// The live managed heap after a blocking, compacting full collection in aggressive mode, which also gives the
    /// collector's free committed memory back to the OS; finalizers run in between (TorchSharp tensors have them).
    /// </summary>
    static long SettledManagedHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
