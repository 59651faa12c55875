using System.Globalization;

namespace KerasPort.Cli.Bench;

/// <summary>
/// The process's resident set size, read cheaply enough to sample inside a prediction loop: what
/// <c>kerasport bench --soak</c> and the soak tests measure memory with (the runtime itself does not need it).
/// </summary>
/// <remarks>
/// <see cref="System.Diagnostics.Process.WorkingSet64"/> after <c>Refresh()</c> rebuilds the whole process description
/// (every thread's <c>/proc</c> entry) on each reading. Sampled every 100 predictions in <c>kerasport bench --soak</c>,
/// that alone left the LSTM text model 4.6 MiB (+2.5%) higher after 10,000 predictions; read from
/// <c>/proc/self/statm</c> into a stack buffer, the same soak grew 0.3 MiB (+0.2%).
/// </remarks>
public static class ResidentMemory
{
    /// <summary>
    /// The resident set size in bytes: on Linux the second field of <c>/proc/self/statm</c> (in pages), read without
    /// allocating; elsewhere <see cref="Environment.WorkingSet"/>.
    /// </summary>
    public static long Bytes() => Read().Resident;

    /// <summary>
    /// <see cref="Bytes"/>, and on Linux the part of it backed by files (code and data of the libraries, paged in as they
    /// run) and the size of the private writable mappings (heaps, stacks), resident or not; those two are 0 elsewhere.
    /// </summary>
    public static (long Resident, long FileBacked, long Mapped) Read()
    {
        if (!OperatingSystem.IsLinux()) return (Environment.WorkingSet, 0, 0);
        Span<byte> text = stackalloc byte[128];
        using var statm = File.OpenHandle("/proc/self/statm");
        text = text[..RandomAccess.Read(statm, text, 0)];
        Span<long> fields = stackalloc long[6];
        for (int i = 0; i < fields.Length; i++)
        {
            int end = text.IndexOfAny((byte)' ', (byte)'\n');
            fields[i] = long.Parse(end < 0 ? text : text[..end], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            text = end < 0 ? [] : text[(end + 1)..];
        }
        // size resident shared text lib data dt: "shared" counts the resident file-backed pages, "data" the private mappings.
        return (fields[1], fields[2], fields[5]);
    }
}
