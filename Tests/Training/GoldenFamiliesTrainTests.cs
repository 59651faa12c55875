using KerasPort.Reference.Golden;
using KerasPort.Runtime.Training;

namespace KerasPort.Tests.Training;

/// <summary>
/// Every model of the inference golden set (<c>shared/golden</c>, all layer families, multi-input and multi-output
/// graphs, nested models, keras.applications) trains: one SGD epoch on its own inputs towards shifted targets, with
/// one mean-squared-error loss per output, and the weights change. Layers that refuse training say so with
/// <see cref="UnsupportedLayerException"/>; those are listed here with the reason.
/// </summary>
public sealed class GoldenFamiliesTrainTests
{
    /// <summary>Cases whose models contain a layer KerasPort does not train, and the refusal expected.</summary>
    static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["normalization/spectral_normalization_wrapper"] = "is not read through LayerContext.Weight",
        ["recurrent/lstm_activations"] = "training with dropout or recurrent_dropout is not supported",
    };

    /// <summary>
    /// Cases where the step changes no weight in Keras either, measured with Keras 3.15.1 (SGD(0.01), mse, one epoch):
    /// KerasPort must leave them unchanged too.
    /// </summary>
    static readonly HashSet<string> UnchangedInKeras = new(StringComparer.Ordinal)
    {
        // A softmax output under a uniform target shift: d(mse)/d(softmax) is the same for every class when each
        // target is the output + 0.5, and softmax's Jacobian maps a uniform vector to zero (Keras: every weight moved 0.0).
        "keras3/mixed_float16_config",
    };

    public static TheoryData<string> Cases() => SharedData.Rows(TestPaths.Golden, golden =>
        GoldenCase.FindCaseDirectories(golden).Where(d => File.Exists(Path.Combine(d, "model.keras"))).Select(d => GoldenCase.Load(d).Id));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void GoldenModelTrainsOneEpoch(string caseId) => GoldenGaps.Run("training", caseId, () => TrainsOneEpoch(caseId));

    static void TrainsOneEpoch(string caseId)
    {
        var golden = GoldenCase.Load(SharedData.GoldenPath(caseId));
        using var model = KerasModel.Load(golden.PathOf("model.keras"));
        var io = NpzArchive.Read(golden.PathOf("io.npz"));
        var x = golden.InputKeys.Select(k => io[k]).ToList();
        var outputs = model.Predict(x.ToArray());
        var targets = outputs.Select(y => y.DType == DType.Float32 ? NdArray.Of(y.ToFloats().Select(v => v + 0.5f).ToArray(), y.Shape) : null).ToList();
        var heads = model.OutputNames.Select((name, i) => new OutputHead(name, targets[i] is null ? null : Loss.Get("mse"), null, [], [])).ToList();
        if (heads.All(h => h.Loss is null)) return;
        if (Refused.TryGetValue(caseId, out var refusal))
        {
            var error = Record.Exception(() =>
            {
                model.Compile(new SGD(0.01), heads);
                model.Fit(x, targets.Select((t, i) => t ?? outputs[i]).ToList(), batchSize: 32, shuffle: false);
            });
            Assert.IsType<UnsupportedLayerException>(error);
            Assert.Contains(refusal, error.Message);
            return;
        }
        model.Compile(new SGD(0.01), heads);
        var before = model.GetWeights();
        var history = model.Fit(x, targets.Select((t, i) => t ?? outputs[i]).ToList(), batchSize: 32, shuffle: false);
        Assert.True(double.IsFinite(history.Values["loss"][0]));
        var after = model.GetWeights();
        var trainable = model.Variables.Select((v, i) => (v, i)).Where(p => p.v.Trainable).ToList();
        if (UnchangedInKeras.Contains(caseId))
            Assert.All(trainable, p => Assert.Equal(before[p.i].ToDoubles(), after[p.i].ToDoubles()));
        else if (trainable.Count > 0)
            Assert.Contains(trainable, p => !before[p.i].ToDoubles().SequenceEqual(after[p.i].ToDoubles()));
        if (heads.Count(h => h.Loss is not null) > 1)
            Assert.All(heads.Where(h => h.Loss is not null), h => Assert.Contains($"{h.Name}_loss", history.Values.Keys));
    }
}
