using System.Diagnostics;

namespace KerasPort.Runtime;

/// <summary>
/// How many libtorch intra-op (OpenMP) threads a CPU prediction runs with, set on the calling thread for each call.
/// libgomp keeps the team size per calling thread, so concurrent calls each get their own.
/// <para>
/// Why not simply one thread per core: libtorch's team meets at a barrier after every operator, so when anything
/// else holds a core, one descheduled worker stalls each of a model's hundreds of small operators.
/// <c>kerasport bench --builtin mobilenetv2 --batch 1 --contention 1</c> on 2 cores measured a median of 28 ms with
/// 2 threads (p90 175 ms), against 13 ms with 1 thread and 8 ms with 2 threads on the quiet machine. Neither fixed
/// count is right in both conditions, and which one wins also depends on the model's work per call.
/// </para>
/// <para>
/// So, unless a count is fixed (<see cref="KerasModelOptions.Threads"/>), each call chooses between one thread and a
/// team of cores ÷ calls in flight in this process (concurrent requests never oversubscribe the cores), by the
/// latency each choice measured on inputs of the same size. Every <see cref="ProbeEvery"/>th call (less often while
/// the other stays far slower, see <see cref="MaxProbeInterval"/>) a probe of <see cref="ProbeCalls"/> calls tries the
/// other choice again, so the choice follows the machine as its load comes and goes.
/// </para>
/// </summary>
internal sealed class IntraOpThreads(int? fixedThreads)
{
    /// <summary>Every this many calls, a probe re-measures the choice not taken.</summary>
    const int ProbeEvery = 16;

    /// <summary>
    /// Calls per probe, of which only the last is measured. The first call after a switch is slow either way (a team's
    /// threads wake up and the other core's caches are cold; one thread after a team runs on a core that has not held
    /// the model): EfficientNetB0 at batch 1 took 14-30 ms (median 16) on a team's first call after one thread, 13.9 ms
    /// on the team's later calls, and one thread took 15.8 ms. Measured by their first calls, the team never looked
    /// faster, and the default stayed on one thread, 14% slower. While the other choice stays <see cref="FarSlower"/>,
    /// a probe is one call, counted as it is: its coldness is small beside that gap, and under contention each call of
    /// a probed team is slow, so a second one per probe only adds to the tail (over two bench-all runs, the targets were
    /// met in 23 of 36 cells with this rule, 19 without it).
    /// </summary>
    const int ProbeCalls = 2;

    /// <summary>
    /// The longest interval between probes. While a probe measures at least <see cref="FarSlower"/> times the settled
    /// choice's latency, the interval doubles up to this; a closer probe resets it to <see cref="ProbeEvery"/>. A probe of
    /// a team under load can take several times one thread's latency (ResNet50 at batch 1 with one busy process: 170 ms
    /// against 77 ms), and in a short run two such calls are already its 90th percentile.
    /// </summary>
    const int MaxProbeInterval = 128;

    /// <summary>How much slower than the settled choice a probe must be to stretch the interval to the next probe.</summary>
    const double FarSlower = 1.5;

    /// <summary>
    /// How much faster the other choice must measure before it replaces the settled one (the team at first, libtorch's
    /// own default). Without this band, where the two are close (EfficientNetB0 under one busy process: one thread
    /// 18 ms, the team 20-25 ms) their measurements alternate by noise, and each switch to the team risks a slow call.
    /// A wider band keeps a choice that is clearly slower: on the quiet machine EfficientNetB0's team takes 13.9 ms and
    /// one thread 16.4 ms, and with 20% whichever had settled first (after a stall, one thread) stayed.
    /// </summary>
    const double Margin = 0.1;

    /// <summary>
    /// Latencies kept per choice. Each choice's figure is a median: that of the settled choice's last
    /// <see cref="Window"/> calls, and of the other's last <see cref="ProbeWindow"/> probes (older probes are stale). A
    /// median, not a running mean: even on a quiet virtual machine a call sometimes takes several times its usual time
    /// (the hypervisor took a core away), and one such call in a running mean made one thread look faster for the next
    /// 16 calls (EfficientNetB0 at batch 1 ran 23 of 58 calls on one thread at 17 ms, against 13 ms for a fixed team).
    /// </summary>
    const int Window = 5;

    /// <summary>How many of its latest probes give the figure of the choice not taken.</summary>
    const int ProbeWindow = 3;

    /// <summary>Input sizes remembered per model; beyond this (inputs of ever-changing size) the memory starts over.</summary>
    const int MaxSizes = 64;

    static int callsInFlight;

    readonly Dictionary<long, Latencies> bySize = [];
    long singleThreadCalls, teamCalls;

    /// <summary>The fixed team size, or null when it is chosen per call.</summary>
    public int? Fixed => fixedThreads;

    /// <summary>Variables that fix the default thread count, in order: KerasPort's own, then OpenMP's, which libtorch also obeys.</summary>
    internal static readonly string[] EnvironmentVariables = ["KERASPORT_THREADS", "OMP_NUM_THREADS"];

    /// <summary>
    /// The thread count the environment fixes: <c>KERASPORT_THREADS</c>, else <c>OMP_NUM_THREADS</c> (its first
    /// entry), when a positive whole number; null (choose per call) otherwise. Someone who sets OMP_NUM_THREADS, as
    /// containers often do, means that count, and a per-call choice would override it.
    /// </summary>
    public static int? FromEnvironment() => EnvironmentVariables
        .Select(name => Environment.GetEnvironmentVariable(name)?.Split(',')[0].Trim())
        .Select(value => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null)
        .FirstOrDefault(n => n is not null);

    /// <summary>How many calls so far ran on one thread, and how many on a team (for <c>kerasport bench</c>).</summary>
    public (long SingleThread, long Team) Calls => (Interlocked.Read(ref singleThreadCalls), Interlocked.Read(ref teamCalls));

    /// <summary>
    /// Runs <paramref name="call"/> (a prediction on inputs of <paramref name="inputElements"/> elements in all) with
    /// the chosen team size on this thread.
    /// </summary>
    public T Run<T>(long inputElements, Func<T> call)
    {
        if (fixedThreads is { } threads)
        {
            Use(threads);
            return call();
        }
        int inFlight = Interlocked.Increment(ref callsInFlight);
        try
        {
            int team = Math.Max(1, Environment.ProcessorCount / inFlight);
            if (team == 1)
            {
                Use(1);
                return call();
            }
            var latencies = LatenciesFor(inputElements);
            var choice = latencies.Choose();
            Use(choice == Choice.Team ? team : 1);
            long start = Stopwatch.GetTimestamp();
            var result = call();
            latencies.Record(choice, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }
        finally { Interlocked.Decrement(ref callsInFlight); }
    }

    Latencies LatenciesFor(long inputElements)
    {
        lock (bySize)
        {
            if (bySize.TryGetValue(inputElements, out var known)) return known;
            if (bySize.Count >= MaxSizes) bySize.Clear();
            return bySize[inputElements] = new Latencies();
        }
    }

    /// <summary>Counts a call on <paramref name="threads"/> and sets the calling thread's team size.</summary>
    void Use(int threads)
    {
        Interlocked.Increment(ref threads == 1 ? ref singleThreadCalls : ref teamCalls);
        SetOnThisThread(threads);
    }

    /// <summary>Sets the calling thread's team size; libtorch's setter is skipped when it already holds (it also resizes pools).</summary>
    public static void SetOnThisThread(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }

    enum Choice { Single, Team }

    /// <summary>The measured latency of each choice for one input size.</summary>
    sealed class Latencies
    {
        readonly double[][] recent = [new double[Window], new double[Window]];
        readonly int[] recorded = new int[2];
        readonly bool[] warmed = new bool[2];
        readonly Lock gate = new();
        int calls, nextProbe = ProbeEvery, probeInterval = ProbeEvery, probeCallsLeft;
        Choice settled = Choice.Team;

        /// <summary>
        /// Both choices first (three calls of the team, then three of one thread, the first of each dropped), then the
        /// settled one (replaced by the other once that is faster by <see cref="Margin"/>), and every
        /// <see cref="ProbeEvery"/>th call a probe of <see cref="ProbeCalls"/> calls of the other (or, while that
        /// stays far slower, of one call, less often, up to every <see cref="MaxProbeInterval"/>th).
        /// </summary>
        public Choice Choose()
        {
            lock (gate)
            {
                int n = calls++;
                if (n < 6) return n < 3 ? Choice.Team : Choice.Single;
                double single = Median(Choice.Single, settled == Choice.Single ? Window : ProbeWindow);
                double team = Median(Choice.Team, settled == Choice.Team ? Window : ProbeWindow);
                if (settled == Choice.Team ? single < (1 - Margin) * team : team < (1 - Margin) * single)
                {
                    // The calls that made the settled choice look slow may have met a passing stall (.NET's tier-1
                    // compilation takes a core for 0.1-0.3 s about 30 calls in), so its next probe alone decides.
                    recorded[(int)settled] = 0;
                    settled = Other(settled);
                }
                if (probeCallsLeft > 0)
                {
                    probeCallsLeft--;
                    return Other(settled);
                }
                if (n < nextProbe) return settled;
                bool farSlower = probeInterval > ProbeEvery;
                nextProbe = n + probeInterval;
                probeCallsLeft = farSlower ? 0 : ProbeCalls - 1;
                if (!farSlower) warmed[(int)Other(settled)] = false;
                return Other(settled);
            }
        }

        /// <summary>
        /// Adds a call's latency to its choice's last <see cref="Window"/>. A choice's first call pays one-time costs
        /// (packing convolution kernels for its team size), and a probe's first call follows a switch: both are dropped.
        /// </summary>
        public void Record(Choice choice, double elapsed)
        {
            lock (gate)
            {
                int i = (int)choice;
                if (!warmed[i])
                {
                    warmed[i] = true;
                    return;
                }
                recent[i][recorded[i]++ % Window] = elapsed;
                if (calls > 6 && choice != settled)
                    probeInterval = elapsed >= FarSlower * Median(settled, Window) ? Math.Min(2 * probeInterval, MaxProbeInterval) : ProbeEvery;
            }
        }

        /// <summary>The median of the choice's last <paramref name="latest"/> latencies (of an even count, the mean of the middle two), or infinity before the first.</summary>
        double Median(Choice choice, int latest)
        {
            int i = (int)choice;
            int count = Math.Min(recorded[i], latest);
            if (count == 0) return double.PositiveInfinity;
            Span<double> sorted = stackalloc double[count];
            for (int k = 0; k < count; k++) sorted[k] = recent[i][(recorded[i] - count + k) % Window];
            sorted.Sort();
            return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        }

        static Choice Other(Choice choice) => choice == Choice.Team ? Choice.Single : Choice.Team;
    }
}
