using System.Text.Json.Nodes;
using KerasPort.Runtime.Training;
using static TorchSharp.torch;

namespace KerasPort.Tests.Training;

/// <summary>
/// One case of <c>shared/golden-training</c> (see its README.md): the compiled untrained model, the data, Keras's record of
/// every optimizer step (<c>steps.npz</c>), the history and the tolerances.
/// </summary>
internal sealed class TrainingCase
{
    TrainingCase(string directory)
    {
        Directory = directory;
        Id = Path.GetFileName(directory);
        Case = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "case.json")))!;
        Data = NpzArchive.Read(Path.Combine(directory, "data.npz"));
        Steps = NpzArchive.Read(Path.Combine(directory, "steps.npz"));
        History = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "history.json")))!["history"]!;
    }

    /// <summary>The case <paramref name="id"/>; skips the test (through <see cref="SharedData"/>) where it is absent.</summary>
    public static TrainingCase Load(string id) => new(SharedData.GoldenTrainingPath(id));

    /// <summary>Every case folder of the shared golden-training set (empty when it is absent).</summary>
    public static IEnumerable<string> Ids() => System.IO.Directory.Exists(TestPaths.GoldenTraining)
        ? System.IO.Directory.GetDirectories(TestPaths.GoldenTraining).Where(d => File.Exists(Path.Combine(d, "case.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!
        : [];

    public string Directory { get; }
    public string Id { get; }
    public JsonObject Case { get; }
    public IReadOnlyDictionary<string, NdArray> Data { get; }
    public IReadOnlyDictionary<string, NdArray> Steps { get; }
    public JsonObject History { get; }

    public JsonObject Fit => (JsonObject)Case["fit"]!;
    public int BatchSize => (int)Fit["batch_size"]!;
    public int Epochs => (int)Fit["epochs"]!;
    public int StepsPerEpoch => (int)Fit["steps_per_epoch"]!;
    public int TotalSteps => (int)Fit["total_steps"]!;

    /// <summary>The model file of <paramref name="format"/>: <c>keras</c> or <c>h5</c>.</summary>
    public string ModelPath(string format) => Path.Combine(Directory, format == "h5" ? "model.h5" : "model.keras");

    public (double Atol, double Rtol) Tolerance(string key) => ((double)Case[key]!["atol"]!, (double)Case[key]!["rtol"]!);

    /// <summary>Sample weights the fit used: <c>sample_weight</c>, or none (class weights are given as a dictionary).</summary>
    public NdArray? SampleWeight => Data.GetValueOrDefault("sample_weight");

    /// <summary>The class weights of the fit, or null.</summary>
    public IReadOnlyDictionary<int, double>? ClassWeight => Data.TryGetValue("class_weight_keys", out var keys)
        ? keys.ToDoubles().Zip(Data["class_weight_values"].ToDoubles()).ToDictionary(p => (int)p.First, p => p.Second)
        : null;

    /// <summary>The per-sample weights Keras trained with: <c>sample_weight</c>, or those derived from the class weights.</summary>
    public NdArray? EffectiveSampleWeight => SampleWeight ?? Data.GetValueOrDefault("class_sample_weight");

    /// <summary>Rows <c>[start, end)</c> of batch <paramref name="index"/> of an epoch.</summary>
    public (int Start, int End) Batch(int index) => ((int)Fit["batches"]![index]![0]!, (int)Fit["batches"]![index]![1]!);

    /// <summary>Custom losses of the cases (c12's quartic loss, formula from its case.json).</summary>
    public static CustomObjects CustomObjects() => new CustomObjects()
        .RegisterLoss("golden_training>quartic_loss", (yTrue, yPred) => (yTrue - yPred).pow(4).mean([-1]));

    /// <summary>The model loaded and compiled from its file.</summary>
    public KerasModel LoadCompiled(string format)
    {
        var model = KerasModel.Load(ModelPath(format));
        model.CompileFromFile(CustomObjects());
        return model;
    }

    /// <summary>Keras's optimizer variable <c>j</c> matched to KerasPort's (by slot and weight).</summary>
    public IEnumerable<(int Index, string Slot, OptimizerVariable Ours)> OptimizerVariables(Optimizer optimizer)
    {
        foreach (var entry in ((JsonArray)Case["optimizer_variables"]!).Cast<JsonObject>())
        {
            int index = (int)entry["index"]!;
            string slot = (string)entry["slot"]!;
            string? weight = (string?)entry["for_weight"];
            var ours = optimizer.Variables.SingleOrDefault(v => v.Slot == slot && v.ForWeight?.Path == weight)
                ?? throw new InvalidOperationException($"{Id}: no optimizer variable '{slot}' for {weight ?? "(none)"} among {string.Join(", ", optimizer.Variables.Select(v => $"{v.Slot}:{v.ForWeight?.Path}"))}");
            yield return (index, slot, ours);
        }
    }
}

/// <summary>numpy.allclose-style comparison with a description of the worst element.</summary>
internal static class Close
{
    /// <summary>The worst violation of <c>|a - b| &lt;= atol + rtol * |b|</c> (b = expected), or null when all elements pass.</summary>
    public static string? Check(string what, NdArray expected, NdArray actual, double atol, double rtol)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape)) return $"{what}: shape {actual.ShapeText}, expected {expected.ShapeText}";
        var (e, a) = (expected.ToDoubles(), actual.ToDoubles());
        double worstExcess = 0;
        int worst = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double diff = Math.Abs(a[i] - e[i]);
            double excess = diff - (atol + rtol * Math.Abs(e[i]));
            if (double.IsNaN(diff) || excess > worstExcess) { worstExcess = double.IsNaN(diff) ? double.PositiveInfinity : excess; worst = i; }
        }
        return worst < 0 ? null : $"{what}[{worst}]: {a[worst]:R} vs Keras {e[worst]:R} (|diff| {Math.Abs(a[worst] - e[worst]):G3}, atol {atol:G3}, rtol {rtol:G3})";
    }

    /// <summary>Scalar version of <see cref="Check(string, NdArray, NdArray, double, double)"/>.</summary>
    public static string? Check(string what, double expected, double actual, double atol, double rtol) =>
        Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected) ? null
            : $"{what}: {actual:R} vs Keras {expected:R} (|diff| {Math.Abs(actual - expected):G3}, atol {atol:G3}, rtol {rtol:G3})";

    /// <summary>The tensor as an array.</summary>
    public static NdArray Array(Tensor value) => TensorConversions.ToNdArray(value);
}
