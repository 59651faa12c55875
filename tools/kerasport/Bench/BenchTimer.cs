using System.Diagnostics;
using System.Globalization;

namespace KerasPort.Cli.Bench;

/// <summary>Latency statistics of one timed subject at one batch size, in milliseconds.</summary>
internal sealed record TimingStats(double MedianMs, double P90Ms)
{
    /// <summary>Samples per second at the median latency.</summary>
    public double Throughput(int batch) => batch * 1000.0 / MedianMs;

    /// <summary>The greppable report line, e.g. <c>kerasport  batch=1  median 12.3 ms  p90 13.0 ms  throughput 81.3 samples/s</c>.</summary>
    public string Line(string label, int batch) => string.Create(CultureInfo.InvariantCulture,
        $"{label,-9}  batch={batch}  median {MedianMs:F1} ms  p90 {P90Ms:F1} ms  throughput {Throughput(batch):F1} samples/s");
}

/// <summary>Wall-clock timing of forward passes with <see cref="Stopwatch"/>.</summary>
internal static class BenchTimer
{
    /// <summary>
    /// Runs every subject <paramref name="warmup"/> times untimed, then <paramref name="iterations"/> timed rounds.
    /// Subjects alternate within each round so that load from other processes falls on all of them alike.
    /// </summary>
    public static TimingStats[] Measure(IReadOnlyList<Action> subjects, int warmup, int iterations)
    {
        foreach (var subject in subjects)
            for (int i = 0; i < warmup; i++) subject();
        var samples = subjects.Select(_ => new double[iterations]).ToArray();
        for (int i = 0; i < iterations; i++)
            for (int s = 0; s < subjects.Count; s++)
            {
                var watch = Stopwatch.StartNew();
                subjects[s]();
                samples[s][i] = watch.Elapsed.TotalMilliseconds;
            }
        return samples.Select(Summarize).ToArray();
    }

    static TimingStats Summarize(double[] milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        // Nearest-rank percentile: the smallest sample with at least 90% of the samples at or below it.
        double p90 = sorted[(int)Math.Ceiling(0.9 * sorted.Length) - 1];
        return new TimingStats(median, p90);
    }
}
