using static TorchSharp.torch;

namespace KerasPort.Tests.Training;

/// <summary>
/// One optimizer step at a time, from Keras's own state: for every step k of every case, the weights are set to Keras's
/// <c>step&lt;k-1&gt;</c> and the optimizer's variables to <c>opt&lt;k-1&gt;</c>, batch k is trained once, and the loss, the
/// raw gradients (k = 1, 2), every weight and every optimizer variable must match Keras's step k to 1e-6 (absolute, plus
/// 1e-6 relative). This isolates each optimizer's update from the drift a free-running replay accumulates.
/// </summary>
public sealed class TeacherForcedStepTests
{
    const double Atol = 1e-6;
    const double Rtol = 1e-6;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (id, format) in GoldenTrainingTests.Ledger.MustPass.Where(p => p.Format == "keras")) data.Add(id);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryStepFromKerasStateMatchesKerasNextStep(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled("keras");
        var gradients = new List<IReadOnlyList<Tensor?>>();
        model.Trainer!.GradientObserver = g => gradients.Add(g.Select(t => t?.clone().DetachFromDisposeScope()).ToList());
        var x = golden.Data["x"];
        var y = golden.Data["y"];
        var weights = golden.EffectiveSampleWeight;
        var failures = new List<string>();
        for (int k = 1; k <= golden.TotalSteps; k++)
        {
            model.SetWeights(model.Variables.Select(v => golden.Steps[$"step{k - 1}/{v.Path}"]).ToList());
            if (k > 1)
                using (no_grad())
                    foreach (var (index, _, ours) in golden.OptimizerVariables(model.Optimizer!))
                        ours.Value.copy_(TensorConversions.ToTensor(golden.Steps[$"opt{k - 1}/{index}"], CPU).to_type(ours.Value.dtype));
            var (start, end) = golden.Batch((k - 1) % golden.StepsPerEpoch);
            model.ResetMetrics();
            gradients.Clear();
            var (loss, _) = model.TrainOnBatch([Rows(x, start, end)], [Rows(y, start, end)], weights is null ? null : Rows(weights, start, end));
            failures.AddRange(StepChecks.Compare(golden, model, k, loss, null, k <= 2 ? gradients[0] : null, (Atol, Rtol), (Atol, Rtol), (Atol, Rtol)));
        }
        Assert.True(failures.Count == 0, $"{caseId}: {failures.Count} mismatches at 1e-6:\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>Rows <c>[start, end)</c> of <paramref name="array"/>.</summary>
    internal static NdArray Rows(NdArray array, int start, int end)
    {
        long row = array.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var data = Array.CreateInstance(NdArray.ElementTypeOf(array.DType), (end - start) * row);
        Array.Copy(array.Data, start * row, data, 0, (end - start) * row);
        return new NdArray(array.DType, [end - start, .. array.Shape.Skip(1)], data);
    }
}
