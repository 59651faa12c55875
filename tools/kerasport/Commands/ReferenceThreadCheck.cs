using System.Collections.Concurrent;
using KerasPort.Converters.Model;
using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;

namespace KerasPort.Cli.Commands;

/// <summary>
/// <c>kerasport reference --check-threads N</c> (hidden; for the real-Keras tests): calls one reference from N threads
/// at once and checks that every answer equals a single-thread run's, bit for bit. Each thread loads the model for
/// itself, asks for that copy's layer outputs, for the shared model's, and for its predictions. A deadlock (say, the
/// GIL taken in the wrong order against the reference's lock) shows as threads that do not finish in time. This is
/// how the in-process host is tested with a torch-backend Keras, which cannot be embedded in the test process.
/// </summary>
internal static class ReferenceThreadCheck
{
    /// <summary>The problems found (empty when every thread agreed with the single-thread run).</summary>
    public static IReadOnlyList<string> Run(IKerasReference keras, ReferenceModel shared, string modelPath, string? weightsPath,
        IReadOnlyDictionary<string, NdArray> inputs, int threads, TimeSpan limit)
    {
        var expected = keras.LayerOutputs(shared, inputs).Arrays;
        var problems = new ConcurrentQueue<string>();
        using var startTogether = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                startTogether.SignalAndWait();
                var own = keras.LoadModel(modelPath, weightsPath);
                Compare($"thread {t}, its own model", keras.LayerOutputs(own, inputs).Arrays);
                Compare($"thread {t}, the shared model", keras.LayerOutputs(shared, inputs).Arrays);
                Compare($"thread {t}, predict", keras.Predict(shared, inputs).Select((a, k) => KeyValuePair.Create($"final/{k}", a)).ToDictionary(), finalOnly: true);
            }
            catch (Exception e) { problems.Enqueue($"thread {t}: {e.GetType().Name}: {e.Message}"); }
        }) { IsBackground = true, Name = $"reference-check-{t}" }).ToList();
        foreach (var worker in workers) worker.Start();
        var deadline = DateTime.UtcNow + limit;
        var stuck = workers.Count(w => !w.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero)));
        if (stuck > 0) problems.Enqueue($"{stuck} of {threads} threads did not finish within {limit} (a deadlock?)");
        return [.. problems];

        void Compare(string who, IReadOnlyDictionary<string, NdArray> got, bool finalOnly = false)
        {
            var wanted = expected.Where(p => !finalOnly || p.Key.StartsWith("final/", StringComparison.Ordinal)).ToList();
            if (got.Count != wanted.Count) problems.Enqueue($"{who}: {got.Count} outputs, the single-thread run gave {wanted.Count}");
            foreach (var (key, want) in wanted)
            {
                if (!got.TryGetValue(key, out var value)) problems.Enqueue($"{who}: no {key}");
                else if (ParityRunner.Compare(key, value, want, new Tolerance(0, 0)) is { Passed: false } c)
                    problems.Enqueue($"{who}: {key} differs from the single-thread run (max abs error {c.MaxAbsError:G3}{(c.Problem is null ? "" : ", " + c.Problem)})");
            }
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
