using System.Globalization;

namespace KerasPort.Runtime;

/// <summary>The process's resident set size, read cheaply enough to sample inside a prediction loop.</summary>
/// <remarks>
/// <see cref="System.Diagnostics.Process.WorkingSet64"/> after <c>Refresh()</c> rebuilds the whole process description
/// (every thread's <c>/proc</c> entry) on each reading. Sampled every 100 predictions in <c>kerasport bench --soak</c>,
/// that alone left the LSTM text model 4.6 MiB (+2.5%) higher after 10,000 predictions; read from
/// <c>/proc/self/statm</c> into a stack buffer, the same soak grew 0.3 MiB (+0.2%).
/// </remarks>
internal static class ResidentMemory
{
    /// <summary>
    /// The resident set size in bytes: on Linux the second field of <c>/proc/self/statm</c> (in pages), read without
    /// allocating; elsewhere <see cref="Environment.WorkingSet"/>.
    /// </summary>
    public static long Bytes()
    {
        if (!OperatingSystem.IsLinux()) return Environment.WorkingSet;
        Span<byte> text = stackalloc byte[128];
        using var statm = File.OpenHandle("/proc/self/statm");
        text = text[..RandomAccess.Read(statm, text, 0)];
        int fieldStart = text.IndexOf((byte)' ') + 1;
        int fieldLength = text[fieldStart..].IndexOf((byte)' ');
        return long.Parse(text.Slice(fieldStart, fieldLength), CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}
