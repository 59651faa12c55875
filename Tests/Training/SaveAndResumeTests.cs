using System.IO.Compression;
using System.Text.Json.Nodes;
using KerasPort.Runtime.Training;

namespace KerasPort.Tests.Training;

/// <summary>
/// Fine-tuned models saved as <c>.keras</c>: Keras's layout (config with <c>compile_config</c>, weights, optimizer
/// state), identical outputs after reloading, and training that resumes from the saved optimizer state exactly as if it
/// had not stopped.
/// </summary>
public sealed class SaveAndResumeTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("kerasport-train-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SkippableTheory]
    [InlineData("c01_mlp_sgd_mse")]
    [InlineData("c07_conv_bn_pool_dense_adam")]
    [InlineData("c08a_lstm_adam_clipnorm")]
    [InlineData("c08b_gru_adam_clipvalue")]
    public void FineTunedModelSavedAsKerasReloadsWithIdenticalOutputs(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled("keras");
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 2, shuffle: false, sampleWeight: golden.SampleWeight);
        var path = Path.Combine(folder, "tuned.keras");
        model.Save(path);
        using var reloaded = KerasModel.Load(path);
        var expected = model.Predict(golden.Data["x"]);
        var actual = reloaded.Predict(golden.Data["x"]);
        Assert.Equal(expected[0].ToDoubles(), actual[0].ToDoubles());
        var original = KerasModel.Load(golden.ModelPath("keras"));
        using (original) Assert.NotEqual(original.Predict(golden.Data["x"])[0].ToDoubles(), actual[0].ToDoubles());
    }

    [SkippableTheory]
    [InlineData("c01_mlp_sgd_mse")]
    [InlineData("c07_conv_bn_pool_dense_adam")]
    public void FineTunedModelSavedAsLegacyH5ReloadsWithIdenticalOutputsAndItsTrainingConfig(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        using var model = golden.LoadCompiled("keras");
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false);
        var path = Path.Combine(folder, "tuned.h5");
        model.Save(path);
        using var reloaded = KerasModel.Load(path);
        Assert.Equal(model.Predict(golden.Data["x"])[0].ToDoubles(), reloaded.Predict(golden.Data["x"])[0].ToDoubles());
        // The training_config the file carries reads back as Keras's own compile config, as from Keras's model.h5.
        var keras = golden.Case["compile_config"]!;
        var compile = reloaded.Description.CompileConfig!;
        Assert.Equal(keras["loss"]!.ToJsonString(), compile["loss"]!.ToJsonString());
        Assert.Equal((string?)keras["optimizer"]!["class_name"], (string?)compile["optimizer"]!["class_name"]);
        using var fromKeras = KerasModel.Load(golden.ModelPath("h5"));
        Assert.Equal(Canonical(fromKeras.Description.CompileConfig!["optimizer"]!["config"]), Canonical(compile["optimizer"]!["config"]));
    }

    /// <summary>JSON text with every number written the same way (Python writes <c>0.0</c> and <c>1e-07</c>, .NET <c>0</c> and <c>1E-07</c>).</summary>
    static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => node?.ToJsonString() ?? "null",
    };

    [SkippableFact]
    public void SavedArchiveHasKerasLayoutWithCompileConfigAndOptimizerState()
    {
        var golden = TrainingCase.Load("c03_mlp_adam_cce_accuracy");
        using var model = golden.LoadCompiled("keras");
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false);
        var path = Path.Combine(folder, "adam.keras");
        model.Save(path);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(["config.json", "metadata.json", "model.weights.h5"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            using var reader = new StreamReader(zip.GetEntry("config.json")!.Open());
            var config = JsonNode.Parse(reader.ReadToEnd())!;
            var compile = config["compile_config"]!;
            var keras = golden.Case["compile_config"]!;
            Assert.Equal("Adam", (string?)compile["optimizer"]!["class_name"]);
            Assert.Equal(keras["loss"]!.ToJsonString(), compile["loss"]!.ToJsonString());
            Assert.Equal(keras["metrics"]!.ToJsonString(), compile["metrics"]!.ToJsonString());
            foreach (var (key, value) in keras["optimizer"]!["config"]!.AsObject())
                Assert.True(JsonNode.DeepEquals(value, compile["optimizer"]!["config"]![key]), $"optimizer config '{key}': {compile["optimizer"]!["config"]![key]?.ToJsonString()} vs Keras {value?.ToJsonString()}");
        }
        var description = KerasModelReader.Load(path);
        var state = description.OptimizerState!;
        Assert.Equal("adam", state.Name);
        Assert.Equal(model.Optimizer!.Variables.Count, state.Variables.Count);
        Assert.Equal(DType.Int32, state.Variables[0].DType);
        Assert.Empty(state.Variables[0].Shape);
        Assert.Equal(golden.StepsPerEpoch, state.Variables[0].ToDoubles()[0]);
        for (int i = 0; i < state.Variables.Count; i++)
            Assert.Equal(Close.Array(model.Optimizer.Variables[i].Value).ToDoubles(), state.Variables[i].ToDoubles());
    }

    /// <summary>Training 3 epochs in one go equals 1 epoch, save, reload, compile from the file, 2 more epochs (optimizer state and schedule resume).</summary>
    [SkippableTheory]
    [InlineData("c03_mlp_adam_cce_accuracy")]
    [InlineData("c11b_sgd_momentum_exponential_decay_staircase")]
    [InlineData("c06c_mlp_nadam_mse")]
    [InlineData("c07_conv_bn_pool_dense_adam")]
    public void TrainingResumesFromTheSavedOptimizerState(string caseId)
    {
        var golden = TrainingCase.Load(caseId);
        var (x, y, weights) = (golden.Data["x"], golden.Data["y"], golden.SampleWeight);
        using var straight = golden.LoadCompiled("keras");
        straight.Fit(x, y, golden.BatchSize, epochs: 3, shuffle: false, sampleWeight: weights);
        var path = Path.Combine(folder, "epoch1.keras");
        using (var first = golden.LoadCompiled("keras"))
        {
            first.Fit(x, y, golden.BatchSize, epochs: 1, shuffle: false, sampleWeight: weights);
            first.Save(path);
        }
        using var resumed = KerasModel.Load(path);
        resumed.CompileFromFile(TrainingCase.CustomObjects());
        Assert.Equal(golden.StepsPerEpoch, resumed.Optimizer!.Iterations);
        resumed.Fit(x, y, golden.BatchSize, epochs: 2, shuffle: false, sampleWeight: weights);
        var expected = straight.GetWeights();
        var actual = resumed.GetWeights();
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].ToDoubles(), actual[i].ToDoubles());
    }

    [SkippableFact]
    public void SavingToAFormatWithoutAWriterIsATypedError()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        using var model = golden.LoadCompiled("keras");
        var error = Assert.Throws<KerasPortException>(() => model.Save(Path.Combine(folder, "model.onnx")));
        Assert.Contains("ModelSavers.Register", error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "model.onnx")));
    }

    [SkippableFact]
    public void SaveWeightsWritesAKeras3WeightsFile()
    {
        var golden = TrainingCase.Load("c01_mlp_sgd_mse");
        using var model = golden.LoadCompiled("keras");
        model.Fit(golden.Data["x"], golden.Data["y"], golden.BatchSize, epochs: 1, shuffle: false);
        var path = Path.Combine(folder, "tuned.weights.h5");
        model.SaveWeights(path);
        var reloaded = KerasModelReader.AttachWeights(KerasModelReader.Load(golden.ModelPath("keras")) with { }, path);
        using var fromWeights = KerasModel.Create(reloaded);
        Assert.Equal(model.Predict(golden.Data["x"])[0].ToDoubles(), fromWeights.Predict(golden.Data["x"])[0].ToDoubles());
    }
}
