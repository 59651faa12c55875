using System.Diagnostics;
using System.Globalization;

namespace KerasPort.Cli.Bench;

/// <summary>
/// Latency statistics of one timed subject at one batch size, in milliseconds: wall clock, and the calling thread's
/// CPU time (<see cref="ThreadCpuTime"/>; null where the platform does not report it).
/// </summary>
internal sealed record TimingStats(double MedianMs, double P90Ms, double? CpuMedianMs)
{
    /// <summary>Calls per second measured over a concurrent run; null for one caller, where it follows from the median.</summary>
    public double? CallsPerSecond { get; init; }

    /// <summary>Samples per second: at the median latency, or as measured when calls ran concurrently.</summary>
    public double Throughput(int batch) => batch * (CallsPerSecond ?? 1000.0 / MedianMs);

    /// <summary>
    /// The greppable report line, e.g. <c>kerasport  batch=1  median 12.3 ms  p90 13.0 ms  cpu 12.1 ms  throughput 81.3 samples/s</c>
    /// (<c>cpu</c>: median CPU time of the calling thread, shown with one torch thread, where it covers the whole pass).
    /// </summary>
    public string Line(string label, int batch) => string.Create(CultureInfo.InvariantCulture,
        $"{label,-9}  batch={batch}  median {Ms(MedianMs)} ms  p90 {Ms(P90Ms)} ms{(CpuMedianMs is { } cpu ? $"  cpu {Ms(cpu)} ms" : "")}  throughput {Throughput(batch):F1} samples/s");

    /// <summary><paramref name="numerator"/>/<paramref name="denominator"/> ratios: median, p90 and, when both have it, CPU time.</summary>
    public static string Ratios(TimingStats numerator, TimingStats denominator) => string.Create(CultureInfo.InvariantCulture,
        $"{numerator.MedianMs / denominator.MedianMs:F2}x  (p90 {numerator.P90Ms / denominator.P90Ms:F2}x{(numerator.CpuMedianMs is { } a && denominator.CpuMedianMs is { } b ? $", cpu {a / b:F2}x" : "")})");

    /// <summary>Three significant digits for short times, one decimal from 100 ms.</summary>
    static string Ms(double value) => value.ToString(value < 1 ? "F3" : value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
}

/// <summary>Wall-clock timing of forward passes with <see cref="Stopwatch"/>, and the calling thread's CPU time.</summary>
internal static class BenchTimer
{
    /// <summary>
    /// Runs every subject untimed, at least <paramref name="warmup"/> times and for at least
    /// <paramref name="warmupSeconds"/>, then <paramref name="iterations"/> timed passes each. The time floor is for
    /// .NET's tiered JIT: a method runs unoptimized code until it has been called 30 times and a background delay of
    /// 100 ms has passed without new tier-0 code, so a model that predicts in 0.1 ms would otherwise be timed mostly in
    /// tier 0 (the transformer block measured 0.139 ms after 20 warm-up passes, 0.094 ms after 1 s of them).
    /// Subjects take turns in blocks of passes, so that load from other processes falls on all of them alike; a block
    /// lasts about <see cref="BlockMilliseconds"/> (one pass for models slower than that), because a runtime timed
    /// right after another one finds its code and data evicted from the caches: for the 0.04 ms transformer block that
    /// doubled KerasPort's time, which no user running one runtime sees.
    /// <paramref name="cpuTime"/> also records the calling thread's CPU time (meaningful with one intra-op thread).
    /// </summary>
    public static TimingStats[] Measure(IReadOnlyList<Action> subjects, int warmup, double warmupSeconds, int iterations, bool cpuTime)
    {
        double slowestPassMs = 0;
        foreach (var subject in subjects)
        {
            var warming = Stopwatch.StartNew();
            int passes = 0;
            for (; passes < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; passes++) subject();
            if (passes > 0) slowestPassMs = Math.Max(slowestPassMs, warming.Elapsed.TotalMilliseconds / passes);
        }
        int block = slowestPassMs > 0 ? (int)Math.Clamp(BlockMilliseconds / slowestPassMs, 1, 100) : 1;
        var wall = subjects.Select(_ => new double[iterations]).ToArray();
        var cpu = subjects.Select(_ => new double[iterations]).ToArray();
        for (int start = 0; start < iterations; start += block)
            for (int s = 0; s < subjects.Count; s++)
                for (int i = start; i < Math.Min(start + block, iterations); i++)
                {
                    double cpuStart = ThreadCpuTime.Milliseconds();
                    var watch = Stopwatch.StartNew();
                    subjects[s]();
                    wall[s][i] = watch.Elapsed.TotalMilliseconds;
                    cpu[s][i] = ThreadCpuTime.Milliseconds() - cpuStart;
                }
        bool withCpu = cpuTime && ThreadCpuTime.Available;
        return wall.Select((w, s) => new TimingStats(Median(w), Percentile90(w), withCpu ? Median(cpu[s]) : null)).ToArray();
    }

    /// <summary>
    /// Runs each subject from <paramref name="callers"/> threads at once, as a service taking concurrent requests
    /// does: every caller warms up as <see cref="Measure"/> does, then makes <paramref name="iterations"/> timed calls.
    /// Subjects run one after the other (not in turns), since their callers would otherwise compete with each other.
    /// The latency figures cover every caller's calls; the throughput is all calls over the timed stretch.
    /// </summary>
    public static TimingStats[] MeasureConcurrent(IReadOnlyList<Action> subjects, int callers, int warmup, double warmupSeconds, int iterations) =>
        subjects.Select(subject =>
        {
            var latencies = new double[callers][];
            using var warm = new Barrier(callers);
            var clock = new Stopwatch();
            var threads = Enumerable.Range(0, callers).Select(c => new Thread(() =>
            {
                var warming = Stopwatch.StartNew();
                for (int passes = 0; passes < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; passes++) subject();
                warm.SignalAndWait();
                if (c == 0) clock.Start();
                warm.SignalAndWait();
                latencies[c] = new double[iterations];
                for (int i = 0; i < iterations; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    subject();
                    latencies[c][i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            var all = latencies.SelectMany(l => l).ToArray();
            return new TimingStats(Median(all), Percentile90(all), null) { CallsPerSecond = all.Length / clock.Elapsed.TotalSeconds };
        }).ToArray();

    /// <summary>About how long each subject runs before the next one takes its turn.</summary>
    const double BlockMilliseconds = 5;

    /// <summary>The median of <paramref name="samples"/>.</summary>
    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // Nearest-rank percentile: the smallest sample with at least 90% of the samples at or below it.
    static double Percentile90(double[] samples) => samples.Order().ElementAt((int)Math.Ceiling(0.9 * samples.Length) - 1);
}
