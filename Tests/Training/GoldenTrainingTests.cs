using KerasPort.Runtime.Training;
using KerasPort.Tests.Parity;
using static TorchSharp.torch;

namespace KerasPort.Tests.Training;

/// <summary>
/// Replays every case of <c>shared/golden-training</c> (real Keras 3 <c>fit</c> runs) through <see cref="KerasModel.Fit"/>:
/// the loss of every step, every weight (trainable and not) after every step, every optimizer variable, the running
/// logs, the raw gradients of steps 1 and 2 and the history must match within the case's tolerances. Pairs listed in
/// <c>Tests/training-ledger.txt</c> as <c>pass</c> are hard tests; <c>gap</c> lines give the reason a pair is skipped.
/// </summary>
public sealed class GoldenTrainingTests
{
    internal static readonly ParityLedger Ledger = ParityLedger.Parse(File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Tests", "training-ledger.txt")));

    /// <summary>Every case in each format it ships (model.keras, model.h5), plus every ledger pair (which skip through <see cref="SharedData"/> where the folder is absent, and fail in CI).</summary>
    public static TheoryData<string, string> Pairs()
    {
        var pairs = new SortedSet<(string, string)>(Ledger.MustPass);
        foreach (var id in TrainingCase.Ids())
        {
            pairs.Add((id, "keras"));
            if (File.Exists(Path.Combine(TestPaths.GoldenTraining, id, "model.h5"))) pairs.Add((id, "h5"));
        }
        var data = new TheoryData<string, string>();
        foreach (var (id, format) in pairs) data.Add(id, format);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Pairs))]
    public void FitReproducesKerasStepByStep(string caseId, string format)
    {
        Skip.IfNot(Ledger.RequiresPass(caseId, format), Ledger.ReasonNotRequired(caseId, format));
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled(format);
        var recorder = new StepRecorder(golden, model);
        var history = model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, golden.Epochs, shuffle: false,
            sampleWeight: golden.SampleWeight, classWeight: golden.ClassWeight, progress: recorder);
        Assert.Equal(golden.TotalSteps, recorder.Step);
        var (lossAtol, lossRtol) = golden.Tolerance("loss_tolerance");
        foreach (var (name, values) in golden.History)
        {
            Assert.True(history.Values.ContainsKey(name), $"history has no '{name}' (has {string.Join(", ", history.Values.Keys)})");
            var expected = values!.AsArray().Select(v => (double)v!).ToArray();
            for (int epoch = 0; epoch < expected.Length; epoch++)
                recorder.Failures.AddIfNotNull(Close.Check($"history {name}[{epoch}]", expected[epoch], history.Values[name][epoch], lossAtol, lossRtol));
        }
        Assert.True(recorder.Failures.Count == 0, $"{caseId} ({format}): {recorder.Failures.Count} mismatches:\n" + string.Join("\n", recorder.Failures.Take(20)));
    }

    /// <summary>Compares the state after every batch with Keras's record of that step.</summary>
    sealed class StepRecorder : IProgress<TrainingProgress>
    {
        readonly TrainingCase golden;
        readonly KerasModel model;
        readonly List<IReadOnlyList<Tensor?>> gradients = [];

        public StepRecorder(TrainingCase golden, KerasModel model)
        {
            this.golden = golden;
            this.model = model;
            model.Trainer!.GradientObserver = g => { if (gradients.Count < 2) gradients.Add(g.Select(t => t?.clone().DetachFromDisposeScope()).ToList()); };
        }

        public int Step { get; private set; }
        public List<string> Failures { get; } = [];

        public void Report(TrainingProgress value)
        {
            if (value.EpochEnd) return;
            int k = ++Step;
            Failures.AddRange(StepChecks.Compare(golden, model, k, value.BatchLoss!.Value, value.Logs, k <= 2 ? gradients[k - 1] : null,
                golden.Tolerance("tolerance"), golden.Tolerance("loss_tolerance"), golden.Tolerance("opt_state_tolerance")));
        }
    }
}

/// <summary>The comparisons of one optimizer step with Keras's record of it.</summary>
internal static class StepChecks
{
    /// <summary>
    /// Loss, logs, weights, optimizer variables, learning rate and (when given) raw gradients after step
    /// <paramref name="k"/>, each within its tolerance; returns the mismatches.
    /// </summary>
    public static IEnumerable<string> Compare(TrainingCase golden, KerasModel model, int k, double loss, IReadOnlyDictionary<string, double>? logs,
        IReadOnlyList<Tensor?>? gradients, (double Atol, double Rtol) weights, (double Atol, double Rtol) losses, (double Atol, double Rtol) state)
    {
        var failures = new List<string>();
        failures.AddIfNotNull(Close.Check($"loss/{k}", golden.Steps[$"loss/{k}"].ToDoubles()[0], loss, losses.Atol, losses.Rtol));
        if (logs is not null)
            foreach (var key in golden.Steps.Keys.Where(key => key.StartsWith($"logs{k}/", StringComparison.Ordinal)))
            {
                var name = key[$"logs{k}/".Length..];
                if (!logs.TryGetValue(name, out var value)) failures.Add($"{key}: no log '{name}' (logs: {string.Join(", ", logs.Keys)})");
                else failures.AddIfNotNull(Close.Check(key, golden.Steps[key].ToDoubles()[0], value, losses.Atol, losses.Rtol));
            }
        foreach (var variable in model.Variables)
            failures.AddIfNotNull(Close.Check($"step{k}/{variable.Path}", golden.Steps[$"step{k}/{variable.Path}"], Close.Array(variable.Value), weights.Atol, weights.Rtol));
        foreach (var (index, slot, ours) in golden.OptimizerVariables(model.Optimizer!))
            failures.AddIfNotNull(Close.Check($"opt{k}/{index} ({slot} {ours.ForWeight?.Path})", golden.Steps[$"opt{k}/{index}"], Close.Array(ours.Value), state.Atol, state.Rtol));
        using (var scope = NewDisposeScope())
        {
            var optimizer = model.Optimizer!;
            double used = optimizer.LearningRate.Schedule is { } schedule ? schedule.At(k - 1, CPU).item<float>() : (float)optimizer.LearningRate.Constant!.Value;
            failures.AddIfNotNull(Close.Check($"lr/{k}", golden.Steps[$"lr/{k}"].ToDoubles()[0], used, 0, 1e-7));
        }
        if (gradients is not null)
        {
            var trainable = model.Variables.Where(v => v.Trainable).ToList();
            for (int i = 0; i < trainable.Count; i++)
                if (golden.Steps.TryGetValue($"grad{k}/{trainable[i].Path}", out var expected))
                    failures.AddIfNotNull(gradients[i] is { } g
                        ? Close.Check($"grad{k}/{trainable[i].Path}", expected, Close.Array(g), weights.Atol, weights.Rtol)
                        : $"grad{k}/{trainable[i].Path}: no gradient reached the weight");
        }
        return failures;
    }

    /// <summary>Adds <paramref name="item"/> unless it is null.</summary>
    public static void AddIfNotNull(this List<string> list, string? item)
    {
        if (item is not null) list.Add(item);
    }
}
