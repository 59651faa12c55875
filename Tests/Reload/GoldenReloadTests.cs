using KerasPort.Reference.Golden;
using KerasPort.Reference.Parity;

namespace KerasPort.Tests.Reload;

/// <summary>
/// <c>kerasport convert --to keras</c>, <c>--to h5</c> and <c>--to keras-weights --max-shard-size</c> of every golden
/// case: real Keras 3.15.1 loads the written file (<c>keras.saving.load_model</c>; for the sharded weights,
/// <c>model_from_json</c> and <c>load_weights</c> of the index, with shards the size of the largest weight, so that a
/// model's weights spread over several) and reproduces KerasPort's outputs on the case's inputs within the case
/// tolerance. Cases Tests/golden-gaps.txt lists for the <c>reload</c> suite must still fail.
/// </summary>
[Trait("Category", RealKeras.Category)]
public sealed class GoldenReloadTests
{
    static readonly string[] Targets = ["keras", "h5", "weights"];

    /// <summary>How a golden case.json says that Keras could not reload its own <c>model.h5</c>.</summary>
    const string KerasCannotReloadItsOwnH5 = "keras.models.load_model cannot reload the legacy .h5 that Keras wrote";

    /// <summary>Every case and target: one Python start for all of them, on the first test that asks.</summary>
    static readonly Lazy<Batch> Reloaded = new(() => Batch.Run(Cases().Select(row => ((string)row[0], (string)row[1]))));

    public static TheoryData<string, string> Cases() => SharedData.Rows(TestPaths.Golden, golden =>
        from directory in GoldenCase.FindCaseDirectories(golden)
        where File.Exists(Path.Combine(directory, "model.keras")) && File.Exists(Path.Combine(directory, "io.npz"))
        from target in Targets
        select (Path.GetRelativePath(golden, directory).Replace('\\', '/'), target));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void KerasLoadsTheConvertedFileAndReproducesKerasPort(string caseId, string target)
    {
        _ = SharedData.Golden;
        GoldenGaps.Run("reload", caseId, () =>
        {
            // Where Keras cannot reload the .h5 it wrote itself, it cannot reload ours either: the golden case says why.
            var omitted = GoldenCase.Load(Path.Combine(TestPaths.Golden, caseId)).Omitted.GetValueOrDefault("model.h5");
            Skip.If(target == "h5" && omitted?.StartsWith(KerasCannotReloadItsOwnH5, StringComparison.Ordinal) == true, omitted);
            var (tolerance, problem) = Reloaded.Value.Outcome(caseId, target);
            Assert.True(problem is null, $"{caseId} --to {target}: {problem}");
            Assert.NotNull(tolerance);
        }, target);
    }

    /// <summary>The converted files of every case and what Keras made of them.</summary>
    sealed class Batch
    {
        readonly Dictionary<string, (Tolerance Tolerance, string? Problem)> outcomes = [];

        public (Tolerance? Tolerance, string? Problem) Outcome(string caseId, string target) =>
            outcomes.TryGetValue($"{caseId} {target}", out var o) ? o : (null, "not prepared");

        public static Batch Run(IEnumerable<(string Case, string Target)> cases)
        {
            _ = RealKeras.Python;
            var batch = new Batch();
            var folder = Directory.CreateTempSubdirectory("kerasport-reload-").FullName;
            try
            {
                batch.Prepare(cases, folder);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
            return batch;
        }

        void Prepare(IEnumerable<(string Case, string Target)> cases, string folder)
        {
            var jobs = new List<(ReloadJob Job, Tolerance Tolerance)>();
            foreach (var (caseId, target) in cases)
            {
                var id = $"{caseId} {target}";
                var goldenCase = GoldenCase.Load(Path.Combine(TestPaths.Golden, caseId));
                if (target == "h5" && goldenCase.Omitted.GetValueOrDefault("model.h5")?.StartsWith(KerasCannotReloadItsOwnH5, StringComparison.Ordinal) == true) continue;
                try
                {
                    var description = KerasModelReader.Load(goldenCase.PathOf("model.keras"));
                    var inputs = LayerDiff.CaseInputs(description, NpzArchive.Read(goldenCase.PathOf("io.npz")), goldenCase.PathOf("io.npz"));
                    NdArray[] expected;
                    using (var model = KerasModel.Create(description)) expected = model.Predict(inputs);
                    var file = Path.Combine(folder, $"{jobs.Count}.{target}");
                    if (target == "weights")
                    {
                        file = Path.Combine(folder, $"{jobs.Count}.weights.json");
                        long largest = Math.Max(1, description.AllWeights().Select(w => ModelConverter.ByteSize(w.Value)).DefaultIfEmpty(0).Max());
                        ModelConverter.WriteFiles(ModelConverter.KerasWeightsFiles(description, file, largest), force: false, progress: null);
                        jobs.Add((new ReloadJob(id, ModelConverter.ArchitecturePath(file), inputs, expected, Weights: file), goldenCase.Tolerance));
                        continue;
                    }
                    ModelConverter.Write(description, target == "h5" ? ConversionTarget.LegacyHdf5 : ConversionTarget.Keras, file, force: false);
                    jobs.Add((new ReloadJob(id, file, inputs, expected), goldenCase.Tolerance));
                }
                catch (KerasPortException e)
                {
                    outcomes[id] = (goldenCase.Tolerance, $"KerasPort could not convert it: {e.Message}");
                }
            }
            var results = KerasReload.Run(jobs.Select(j => j.Job).ToList(), folder);
            foreach (var (job, tolerance) in jobs) outcomes[job.Id] = (tolerance, results[job.Id].Mismatch(tolerance));
        }
    }
}
