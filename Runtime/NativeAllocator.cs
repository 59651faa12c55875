using System.Runtime.InteropServices;

namespace KerasPort.Runtime;

/// <summary>
/// Keeps the memory libtorch frees inside the process for the next prediction, on Linux with glibc.
/// </summary>
/// <remarks>
/// libtorch's CPU allocator is plain <c>malloc</c>/<c>free</c>. glibc serves blocks from 128 KiB up to a dynamic
/// threshold (at most 32 MiB) with fresh <c>mmap</c>s, and gives the top of the heap back to the OS once more than the
/// trim threshold is free. A forward pass allocates its activations anew on every call, so at batch 32 nearly every
/// activation (a ResNet50 stage-1 tensor is 100 MiB) arrived as untouched pages: the kernel zeroed and mapped each
/// page again on every prediction, which cost ResNet50 more CPU time than its non-convolution layers (measured with
/// <c>kerasport bench</c>, see the README). <c>mallopt(M_MMAP_MAX, 0)</c> serves every block from the heap and
/// <c>M_TRIM_THRESHOLD</c> of 2 GiB keeps freed heap memory, so after the first prediction the same memory is reused,
/// as ONNX Runtime's arena reuses its own. Both settings are process-wide and apply once, when the first model is
/// created with <see cref="KerasModelOptions.RetainNativeMemory"/> (the default); resident memory then stays at the
/// peak of the largest prediction instead of rising and falling with every call. Elsewhere (Windows, macOS, musl)
/// nothing changes.
/// </remarks>
internal static class NativeAllocator
{
    const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MmapMax = -4;       // M_MMAP_MAX

    static int applied;

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);

    /// <summary>Whether the settings took effect in this process.</summary>
    public static bool Retaining { get; private set; }

    /// <summary>Applies the settings once per process (later calls do nothing).</summary>
    public static void RetainFreedMemory()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            Retaining = Mallopt(MmapMax, 0) == 1 & Mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): no mallopt, the allocator keeps its own policy.
        }
    }

    /// <summary>
    /// Gives the free heap memory back to the OS (<c>malloc_trim(0)</c>) where <see cref="Retaining"/>: called once a
    /// model's first prediction is done, so the temporaries of loading and of building its inference plan (weight
    /// conversions, folded and packed kernels) do not stay resident for the life of the process. The memory that
    /// predictions reuse is taken again by the next one.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (Retaining) TrimFreeMemory();
    }

    /// <summary>
    /// glibc's <c>malloc_trim(0)</c>, whether or not <see cref="Retaining"/>: <c>kerasport bench --soak</c> uses it to
    /// show what the allocator kept. False where there is no glibc.
    /// </summary>
    public static bool TrimFreeMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
