using System.Text.Json.Nodes;
using KerasPort.Runtime.Training;

namespace KerasPort.Tests.Training;

/// <summary>Compile, Evaluate, callbacks and errors, checked against the Keras runs of <c>shared/golden-training</c> where they can be.</summary>
public sealed class TrainingApiTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("kerasport-fit-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> Cases() => TeacherForcedStepTests.Cases();

    /// <summary>The optimizer built from the file's compile config reports Keras's <c>get_config()</c> (case.json), key by key.</summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void OptimizerConfigIsKerasGetConfig(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled("keras");
        var ours = model.Optimizer!.GetConfig();
        var keras = golden.Case["optimizer"]!["config"]!.AsObject();
        Assert.Equal(keras.Select(kv => kv.Key).Order(), ours.Select(kv => kv.Key).Order());
        foreach (var (key, value) in keras)
            Assert.True(SameJson(value, ours[key]), $"{caseId} optimizer '{key}': {ours[key]?.ToJsonString()} vs Keras {value?.ToJsonString()}");
        Assert.Equal((string)golden.Case["optimizer"]!["class"]!, model.Optimizer.Serialize()["class_name"]!.GetValue<string>());
    }

    static bool SameJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(kv => y.ContainsKey(kv.Key) && SameJson(kv.Value, y[kv.Key])),
        (JsonValue x, JsonValue y) when x.GetValueKind() == System.Text.Json.JsonValueKind.Number && y.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            double.Parse(x.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) == double.Parse(y.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        _ => JsonNode.DeepEquals(a, b),
    };

    /// <summary>Evaluate on batch k with Keras's weights before step k gives Keras's loss of step k and its first-batch metrics.</summary>
    [SkippableTheory]
    [InlineData("c01_mlp_sgd_mse")]
    [InlineData("c03_mlp_adam_cce_accuracy")]
    [InlineData("c10a_sample_weight")]
    [InlineData("c04b_mlp_rmsprop_bce_logits")]
    public void EvaluateGivesKerasLossOfABatch(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled("keras");
        var (start, end) = golden.Batch(0);
        var weights = golden.EffectiveSampleWeight;
        var (atol, rtol) = golden.Tolerance("loss_tolerance");
        var logs = model.Evaluate(TeacherForcedStepTests.Rows(golden.Data["x"], start, end), TeacherForcedStepTests.Rows(golden.Data["y"], start, end),
            batchSize: end - start, sampleWeight: weights is null ? null : TeacherForcedStepTests.Rows(weights, start, end));
        foreach (var key in golden.Steps.Keys.Where(k => k.StartsWith("logs1/", StringComparison.Ordinal)))
            Assert.Null(Close.Check(key, golden.Steps[key].ToDoubles()[0], logs[key["logs1/".Length..]], atol, rtol));
        Assert.Null(Close.Check("loss/1", golden.Steps["loss/1"].ToDoubles()[0], logs["loss"], atol, rtol));
    }

    /// <summary>Compiling in C# with Keras's identifiers trains exactly as compiling from the file does.</summary>
    [SkippableFact]
    public void CompilingWithIdentifiersEqualsCompilingFromTheFile()
    {
        var golden = TrainingCase.Load("c03_mlp_adam_cce_accuracy");
        using var fromFile = golden.LoadCompiled("keras");
        using var fromCode = KerasModel.Load(golden.ModelPath("keras"));
        fromCode.Compile("adam", "categorical_crossentropy", "accuracy");
        var a = fromFile.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, golden.Epochs, shuffle: false);
        var b = fromCode.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, golden.Epochs, shuffle: false);
        Assert.Equal(a.Values["loss"], b.Values["loss"]);
        Assert.Equal(a.Values["accuracy"], b.Values["accuracy"]);
        Assert.Equal(fromFile.GetWeights().SelectMany(w => w.ToDoubles()), fromCode.GetWeights().SelectMany(w => w.ToDoubles()));
        Assert.Equal(golden.Case["compile_config"]!["loss"]!.ToJsonString(), fromCode.DescriptionForSaving().CompileConfig!["loss"]!.ToJsonString());
    }

    /// <summary>A schedule built in C# trains like the one the file names (c11b: staircase ExponentialDecay with momentum).</summary>
    [SkippableFact]
    public void ScheduleBuiltInCodeMatchesKeras()
    {
        var golden = TrainingCase.Load("c11b_sgd_momentum_exponential_decay_staircase");
        using var model = KerasModel.Load(golden.ModelPath("keras"));
        model.Compile(new SGD(new ExponentialDecay(0.1, 4, 0.3, staircase: true), momentum: 0.9), Loss.Get("mean_squared_error"));
        var recorder = new List<double>();
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, golden.Epochs, shuffle: false, progress: new Recorder(p => { if (!p.EpochEnd) recorder.Add(p.BatchLoss!.Value); }));
        var (atol, rtol) = golden.Tolerance("loss_tolerance");
        for (int k = 1; k <= golden.TotalSteps; k++)
            Assert.Null(Close.Check($"loss/{k}", golden.Steps[$"loss/{k}"].ToDoubles()[0], recorder[k - 1], atol, rtol));
    }

    sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [SkippableFact]
    public void ValidationDataAddsValLogsEqualToEvaluate()
    {
        var golden = TrainingCase.Load("c03_mlp_adam_cce_accuracy");
        using var model = golden.LoadCompiled("keras");
        var (x, y) = (golden.Data["x"], golden.Data["y"]);
        var history = model.Fit(x, y, golden.BatchSize, epochs: 2, shuffle: true, seed: 7, validationData: new ValidationData(x, y));
        Assert.Equal(["accuracy", "loss", "val_accuracy", "val_loss"], history.Values.Keys.Order(StringComparer.Ordinal));
        var evaluated = model.Evaluate(x, y, golden.BatchSize);
        Assert.Equal(evaluated["loss"], history.Values["val_loss"][^1]);
        Assert.Equal(evaluated["accuracy"], history.Values["val_accuracy"][^1]);
    }

    [SkippableFact]
    public void ValidationSplitHoldsOutTheLastSamples()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        using var model = golden.LoadCompiled("keras");
        var (x, y) = (golden.Data["x"], golden.Data["y"]);
        int steps = 0;
        var history = model.Fit(x, y, batchSize: 8, epochs: 1, shuffle: false, validationSplit: 0.25,
            progress: new Recorder(p => { if (!p.EpochEnd) steps++; }));
        Assert.Equal(3, steps);
        var expected = model.Evaluate(TeacherForcedStepTests.Rows(x, 21, 28), TeacherForcedStepTests.Rows(y, 21, 28));
        Assert.Equal(expected["loss"], history.Values["val_loss"][0]);
    }

    [SkippableFact]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        using var model = golden.LoadCompiled("keras");
        var stopper = new EarlyStopping(monitor: "loss", mode: "max", patience: 1, restoreBestWeights: true);
        var history = model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 10, shuffle: false, callbacks: [stopper]);
        Assert.Equal([0, 1], history.Epochs);
        Assert.Equal(1, stopper.StoppedEpoch);
        Assert.Equal(0, stopper.BestEpoch);
        using var oneEpoch = golden.LoadCompiled("keras");
        oneEpoch.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false);
        Assert.Equal(oneEpoch.GetWeights().SelectMany(w => w.ToDoubles()), model.GetWeights().SelectMany(w => w.ToDoubles()));
        Assert.Equal(oneEpoch.Predict(golden.Data["x"])[0].ToDoubles(), model.Predict(golden.Data["x"])[0].ToDoubles());
    }

    /// <summary>ModelCheckpoint names files from the logs (Keras's history values of the case) and saves only improvements.</summary>
    [SkippableFact]
    public void ModelCheckpointSavesImprovementsUnderFormattedNames()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        using var model = golden.LoadCompiled("keras");
        var everyEpoch = new ModelCheckpoint(Path.Combine(folder, "ckpt-{epoch:02d}-{loss:.4f}.keras"), monitor: "loss", saveBestOnly: true);
        var firstOnly = new ModelCheckpoint(Path.Combine(folder, "worst.keras"), monitor: "loss", saveBestOnly: true, mode: "max");
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, golden.Epochs, shuffle: false, callbacks: [everyEpoch, firstOnly]);
        var losses = golden.History["loss"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(losses.Select((loss, e) => Path.Combine(folder, $"ckpt-{e + 1:00}-{loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}.keras")), everyEpoch.Saved);
        Assert.Single(firstOnly.Saved);
        using var last = KerasModel.Load(everyEpoch.Saved[^1]);
        Assert.Equal(model.Predict(golden.Data["x"])[0].ToDoubles(), last.Predict(golden.Data["x"])[0].ToDoubles());
        Assert.Equal(golden.TotalSteps, KerasModelReader.Load(everyEpoch.Saved[^1]).OptimizerState!.Variables[0].ToDoubles()[0]);
    }

    [SkippableFact]
    public void ClassWeightsWeighTheLossLikeTheirSampleWeights()
    {
        var golden = TrainingCase.Load("c10b_class_weight");
        using var byClass = golden.LoadCompiled("keras");
        using var bySample = golden.LoadCompiled("keras");
        var a = byClass.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false, classWeight: golden.ClassWeight);
        var b = bySample.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false, sampleWeight: golden.Data["class_sample_weight"]);
        Assert.Equal(a.Values["loss"], b.Values["loss"]);
    }

    [SkippableFact]
    public void BadUseIsReportedWithTypedErrors()
    {
        var golden = TrainingCase.Load("c05_mlp_adagrad_sparse_cce");
        using var model = KerasModel.Load(golden.ModelPath("keras"));
        var (x, y) = (golden.Data["x"], golden.Data["y"]);
        Assert.Contains("must be compiled", Assert.Throws<KerasPortException>(() => model.Fit(x, y)).Message);
        model.CompileFromFile();
        var labels = y.ToDoubles().Select(v => (int)v + 5).ToArray();
        Assert.Contains("labels must be in [0, 3)", Assert.ThrowsAny<KerasPortException>(() => model.Fit(x, NdArray.Of(labels, y.Shape), batchSize: 8)).Message);
        Assert.Throws<ModelInputException>(() => model.Fit(x, TeacherForcedStepTests.Rows(y, 0, 5)));
        using var regression = TrainingCase.Load("c01_mlp_sgd_mse").LoadCompiled("keras");
        var wrongTargets = NdArray.Of(new float[28 * 3], 28, 3);
        Assert.Contains("do not fit", Assert.ThrowsAny<KerasPortException>(() => regression.Fit(TrainingCase.Load("c01_mlp_sgd_mse").Data["x"], wrongTargets)).Message);
        using var quartic = KerasModel.Load(TrainingCase.Load("c12_custom_loss_quartic").ModelPath("keras"));
        Assert.Contains("RegisterLoss(\"golden_training>quartic_loss\"", Assert.Throws<KerasPortException>(() => quartic.CompileFromFile()).Message);
    }

    /// <summary>Several outputs: the loss is the weighted sum of the outputs' losses, logged per output with prefixed metric names.</summary>
    [SkippableFact]
    public void MultiOutputModelsLogEachOutputAndWeighTheirLosses()
    {
        var golden = KerasPort.Reference.Golden.GoldenCase.Load(SharedData.GoldenPath("graph", "multi_io"));
        using var model = KerasModel.Load(golden.PathOf("model.keras"));
        var io = KerasPort.Converters.Numpy.NpzArchive.Read(golden.PathOf("io.npz"));
        var x = golden.InputKeys.Select(k => io[k]).ToList();
        var y = model.Predict(x.ToArray()).Select(o => NdArray.Of(o.ToFloats().Select(v => v * 0.5f).ToArray(), o.Shape)).ToList();
        var (first, second) = (model.OutputNames[0], model.OutputNames[1]);
        model.Compile(new SGD(0.0), [new OutputHead(first, Loss.Get("mse"), 2.0, [Metric.Get("mae")], []), new OutputHead(second, Loss.Get("mae"), 0.5, [], [])]);
        var logs = model.Evaluate(x, y, batchSize: 1000);
        Assert.Equal(["loss", $"{first}_loss", $"{second}_loss", $"{first}_mae"], logs.Keys);
        Assert.Equal(2.0 * logs[$"{first}_loss"] + 0.5 * logs[$"{second}_loss"], logs["loss"], 5);
        var path = Path.Combine(folder, "multi.keras");
        model.Save(path);
        using var reloaded = KerasModel.Load(path);
        reloaded.CompileFromFile();
        Assert.Equal(logs.ToList(), reloaded.Evaluate(x, y, batchSize: 1000).ToList());
    }

    /// <summary>A kernel regularizer adds Keras's penalty to the loss; a kernel constraint is applied after each update.</summary>
    [SkippableFact]
    public void WeightRegularizersAndConstraintsApply()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        var description = KerasModelReader.Load(golden.ModelPath("keras"));
        var hidden = description.Layer("hidden1");
        var config = (JsonObject)hidden.Config.DeepClone();
        config["kernel_regularizer"] = JsonNode.Parse("""{"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.25}}""");
        config["kernel_constraint"] = JsonNode.Parse("""{"module": "keras.constraints", "class_name": "NonNeg", "config": {}}""");
        description = description with { Layers = description.Layers.Select(l => l.Name == "hidden1" ? l with { Config = config } : l).ToList() };
        using var plain = golden.LoadCompiled("keras");
        using var model = KerasModel.Create(description);
        model.Compile(new SGD(0.1), Loss.Get("mean_squared_error"));
        var x = TeacherForcedStepTests.Rows(golden.Data["x"], 0, 8);
        var y = TeacherForcedStepTests.Rows(golden.Data["y"], 0, 8);
        var kernel = model.GetWeights()[0].ToDoubles();
        double penalty = 0.25 * kernel.Sum(v => (double)(float)v * (float)v);
        var (loss, _) = model.TrainOnBatch([x], [y]);
        var (plainLoss, _) = plain.TrainOnBatch([x], [y]);
        Assert.Equal(plainLoss + penalty, loss, 4);
        Assert.Contains(kernel, v => v < 0);
        Assert.All(model.GetWeights()[0].ToDoubles(), v => Assert.True(v >= 0));
    }

    /// <summary>Keras's documented schedule semantics (keras/src/optimizers/schedules/learning_rate_schedule.py docstrings).</summary>
    [Fact]
    public void SchedulesFollowKerasDefinitions()
    {
        var piecewise = new PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1]);
        Assert.Equal([1f, 1f, 1f, 0.5f, 0.5f, 0.1f], Enumerable.Range(0, 6).Select(step => piecewise.At(step, TorchSharp.torch.CPU).item<float>()));
        var inverse = new InverseTimeDecay(0.1, 2, 0.5, staircase: true);
        Assert.Equal([0.1f, 0.1f, (float)(0.1 / 1.5), (float)(0.1 / 1.5), 0.05f], Enumerable.Range(0, 5).Select(step => inverse.At(step, TorchSharp.torch.CPU).item<float>()));
        var restored = LearningRateSchedule.FromConfig(piecewise.ToConfig());
        Assert.Equal(0.5f, restored.At(3, TorchSharp.torch.CPU).item<float>());
    }

    /// <summary>exclude_from_weight_decay keeps matching weights (by Keras name) out of the decay (from Keras's step-3 weights: the initial biases are zero).</summary>
    [SkippableFact]
    public void WeightDecayExclusionsSkipMatchingWeights()
    {
        var golden = TrainingCase.Load("c06d_mlp_adamw_mse");
        var x = TeacherForcedStepTests.Rows(golden.Data["x"], 0, 8);
        var y = TeacherForcedStepTests.Rows(golden.Data["y"], 0, 8);
        using var decayed = KerasModel.Load(golden.ModelPath("keras"));
        using var excluded = KerasModel.Load(golden.ModelPath("keras"));
        decayed.Compile(new AdamW(0.01, weightDecay: 0.5), Loss.Get("mse"));
        var optimizer = new AdamW(0.01, weightDecay: 0.5);
        optimizer.ExcludeFromWeightDecay("bias");
        excluded.Compile(optimizer, Loss.Get("mse"));
        foreach (var model in new[] { decayed, excluded })
            model.SetWeights(model.Variables.Select(v => golden.Steps[$"step3/{v.Path}"]).ToList());
        decayed.TrainOnBatch([x], [y]);
        excluded.TrainOnBatch([x], [y]);
        foreach (var (a, b) in decayed.Variables.Zip(excluded.Variables))
        {
            bool same = Close.Array(a.Value).ToDoubles().SequenceEqual(Close.Array(b.Value).ToDoubles());
            Assert.True(a.Name == "bias" ? !same : same, $"{a}");
        }
    }
}
