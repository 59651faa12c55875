using KerasPort.Tests.Cli;

namespace KerasPort.Tests.Converters;

/// <summary>
/// tf.keras SavedModel directories (../shared/corpus/savedmodel, written by TF 2.3 to 2.12) load without TensorFlow:
/// architecture from the Keras metadata, weights from the checkpoint, checked against the reference values that came
/// with them (.npy files, and the same model saved as HDF5).
/// </summary>
public sealed class SavedModelTests
{
    static string SavedModels => SharedData.CorpusPath("savedmodel");

    static string Dir(string name) => SharedData.CorpusPath("savedmodel", name);

    /// <summary>The MANIFEST.tsv rows of the SavedModel corpus: directory and expectation.</summary>
    public static IReadOnlyList<(string Dir, string Expectation)> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(SavedModels, "MANIFEST.tsv"));
        var header = lines[0].Split('\t').ToList();
        int dir = header.IndexOf("dir"), expectation = header.IndexOf("expectation");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c => (c[dir], c[expectation])).ToList();
    }

    public static TheoryData<string> LoadableDirectories() =>
        SharedData.Rows(TestPaths.Corpus, _ => Rows().Where(r => r.Expectation == "load").Select(r => r.Dir));

    static ModelSummary Summary(ModelDescription description)
    {
        using var model = KerasModel.Create(description);
        return ModelSummary.Build(model);
    }

    static IEnumerable<LayerDescription> AllLayers(ModelDescription model) =>
        model.Layers.SelectMany(l => l.Nested is { } nested ? AllLayers(nested) : [l]);

    static NdArray[] SeededInputs(KerasModel model, int seed)
    {
        var random = new Random(seed);
        return model.Graph.InputLayers.Select(input =>
        {
            var shape = input.ConcreteShape(batch: 1, free: 32);
            long count = shape.Aggregate(1L, (a, b) => a * b);
            return NdArray.Of(Enumerable.Range(0, (int)count).Select(_ => (float)random.NextDouble()).ToArray(), shape);
        }).ToArray();
    }

    [SkippableTheory]
    [MemberData(nameof(LoadableDirectories))]
    public void DirectoryAndItsSavedModelFileLoadTheSameModel(string name)
    {
        Assert.Equal(ModelFileFormat.SavedModel, KerasModelReader.DetectFormat(Dir(name)));
        Assert.Equal(ModelFileFormat.SavedModel, KerasModelReader.DetectFormat(Path.Combine(Dir(name), "saved_model.pb")));
        var fromDirectory = KerasModelReader.Load(Dir(name));
        var fromFile = KerasModelReader.Load(Path.Combine(Dir(name), "saved_model.pb"));
        Assert.Equal(AllLayers(fromDirectory).Select(l => l.Name), AllLayers(fromFile).Select(l => l.Name));
        Assert.Contains(AllLayers(fromDirectory), l => l.Weights.Count > 0);
        // Every weight of every layer is float32 in these models (int64 RNG states and optimizer slots are not weights).
        Assert.All(AllLayers(fromDirectory).SelectMany(l => l.Weights), w => Assert.Equal(DType.Float32, w.Value.DType));
        var summary = Summary(fromDirectory);
        Assert.Equal(fromDirectory.Layers.Count, summary.Rows.Count);
        Assert.True(summary.Params.Trainable > 0);
    }

    [SkippableFact]
    public void CustomLayerIsRejectedWithItsClassName()
    {
        var row = Rows().Single(r => r.Expectation.StartsWith("reject", StringComparison.Ordinal));
        var className = row.Expectation.Split(' ')[^1];
        var description = KerasModelReader.Load(Dir(row.Dir));
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(description));
        Assert.Equal(className, error.ClassName);
        Assert.Contains("unregistered class", error.Message);
    }

    [SkippableFact]
    public void WeightsMatchTheNpyFilesShippedWithTheModel()
    {
        // functional_mlp_tf211: bias0.npy is the 'dense' bias and kernel1.npy the 'dense_1' kernel (MANIFEST.tsv).
        var model = KerasModelReader.Load(Dir("functional_mlp_tf211"));
        var bias = NpyFormat.Read(Path.Combine(Dir("functional_mlp_tf211"), "bias0.npy"));
        var kernel = NpyFormat.Read(Path.Combine(Dir("functional_mlp_tf211"), "kernel1.npy"));
        AssertBitIdentical(bias, model.Layer("dense").Weights[1].Value);
        AssertBitIdentical(kernel, model.Layer("dense_1").Weights[0].Value);
        Assert.Equal(["dense/kernel:0", "dense/bias:0"], model.Layer("dense").Weights.Select(w => w.Name));
    }

    static void AssertBitIdentical(NdArray expected, NdArray actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(((float[])expected.Data).Select(BitConverter.SingleToInt32Bits), ((float[])actual.Data).Select(BitConverter.SingleToInt32Bits));
    }

    [SkippableFact]
    public void SiameseSavedModelHoldsTheWeightsOfItsHdf5TwinAndPredictsIdentically()
    {
        var fromHdf5 = KerasModelReader.Load(SharedData.CorpusPath("change_detection_siamese_k28.h5"));
        var fromSavedModel = KerasModelReader.Load(Dir("siamese_change_detection_tf28"));
        var hdf5Weights = AllLayers(fromHdf5).SelectMany(l => l.Weights.Select(w => (l.Name, w.Value))).ToList();
        var savedWeights = AllLayers(fromSavedModel).SelectMany(l => l.Weights.Select(w => (l.Name, w.Value))).ToList();
        Assert.Equal(32, savedWeights.Count);
        Assert.Equal(hdf5Weights.Select(w => w.Name), savedWeights.Select(w => w.Name));
        foreach (var (h5, saved) in hdf5Weights.Zip(savedWeights)) AssertBitIdentical(h5.Value, saved.Value);

        using var hdf5Model = KerasModel.Create(fromHdf5);
        using var savedModel = KerasModel.Create(fromSavedModel);
        var inputs = SeededInputs(hdf5Model, seed: 11);
        var expected = hdf5Model.Predict(inputs);
        var actual = savedModel.Predict(inputs);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) AssertBitIdentical(expected[i], actual[i]);
    }

    [SkippableFact]
    public void CliSummaryShowsASavedModelDirectoryLikeItsHdf5Twin()
    {
        var (exitCode, output) = CliTests.Run("summary", Dir("siamese_change_detection_tf28"));
        Assert.Equal(0, exitCode);
        var (_, hdf5Output) = CliTests.Run("summary", SharedData.CorpusPath("change_detection_siamese_k28.h5"));
        string Totals(string text) => string.Join('\n', text.Split('\n').Where(l => l.Contains("params:", StringComparison.Ordinal)));
        Assert.NotEmpty(Totals(output));
        Assert.Equal(Totals(hdf5Output), Totals(output));
    }

    [SkippableFact]
    public void ConvertingADirectoryWritesBesideIt()
    {
        var dir = Dir("lstm_sequential_tf212");
        Assert.Equal(dir + ".keras", ModelConverter.DefaultOutput(dir + Path.DirectorySeparatorChar, ConversionTarget.Keras));
        Assert.Equal(dir + ".kerasport", ModelConverter.DefaultOutput(dir, ConversionTarget.TorchSharp));
    }

    [SkippableFact]
    public void ASavedModelProtobufOutsideItsDirectoryIsRefused()
    {
        // A stream is saved to a temporary file: the files beside that are not the model's.
        using var stream = File.OpenRead(Path.Combine(Dir("functional_mlp_tf211"), "saved_model.pb"));
        var error = Assert.Throws<ModelFileException>(() => KerasModel.Load(stream));
        Assert.Contains("SavedModel is a directory", error.Message);
    }

    [Fact]
    public void ADirectoryWithoutSavedModelIsRefused()
    {
        var scratch = Directory.CreateTempSubdirectory("kerasport-notsaved-").FullName;
        try
        {
            var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(scratch));
            Assert.Equal(scratch, error.FilePath);
            Assert.Contains("saved_model.pb", error.Message);
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }
}
