using System.Runtime.InteropServices;

namespace KerasPort.Cli.Bench;

/// <summary>
/// CPU time of the calling thread (user and system), from <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> on Linux.
/// With one torch thread, every operator of a pass runs on the calling thread, so this time leaves out the periods
/// in which the scheduler gave the core to another process: on a shared machine it is the steadier measure.
/// </summary>
internal static class ThreadCpuTime
{
    const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>Whether the platform reports thread CPU time (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>The calling thread's CPU time so far, in milliseconds (0 where <see cref="Available"/> is false).</summary>
    public static double Milliseconds()
    {
        if (!Available) return 0;
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return time.Seconds * 1e3 + time.Nanoseconds / 1e6;
    }
}
