using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;
using KerasPort.Tests.Cli;
using PureHDF;

namespace KerasPort.Tests.Converters;

/// <summary><c>kerasport convert</c>: every target gives bit-identical outputs, and files are written atomically and never overwritten by surprise.</summary>
public sealed class ConvertTests
{
    static readonly string Fixtures = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden");

    /// <summary>Every bundled case, and at least one shared case per family (skipped where the shared data is absent).</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.GetDirectories(Fixtures, "*", SearchOption.AllDirectories).Where(d => File.Exists(Path.Combine(d, "model.keras"))).Order())
            foreach (var file in new[] { "model.keras", "model.h5" }.Where(f => File.Exists(Path.Combine(dir, f))))
                data.Add(Path.GetRelativePath(TestPaths.RepoRoot, Path.Combine(dir, file)), "");
        string[] shared =
        [
            "core/dense_activations", "conv/conv1d_channels_first", "pooling/adaptive_pooling", "normalization/batchnorm_after_conv2d",
            "recurrent/lstm", "recurrent/gru_reset_before", "recurrent/bidirectional_lstm", "recurrent/bidirectional_gru_state",
            "recurrent/time_distributed_dense", "attention/mha_self", "graph/nested_sequential", "graph/shared_layer", "graph/multi_io", "merge/concatenate",
        ];
        foreach (var c in shared)
            foreach (var file in new[] { "model.keras", "model.h5" })
                data.Add(Path.Combine(c, file), "shared");
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryTargetReproducesTheSourceExactly(string model, string root)
    {
        var path = root == "shared" ? SharedData.GoldenPath(model) : Path.Combine(TestPaths.RepoRoot, model);
        var description = KerasModelReader.Load(path);
        var inputs = CaseInputs(description, path);
        foreach (var target in new[] { ConversionTarget.TorchSharp, ConversionTarget.Keras, ConversionTarget.LegacyHdf5 })
            Assert.Equal(0, RoundTrip(description, target, inputs));
    }

    [SkippableTheory]
    [InlineData("churn_mlp_k215.h5", 2)]
    [InlineData("birthrate_mha_transformer_k392.keras", 3)]
    [InlineData("savedmodel/lstm_sequential_tf212", 2)]
    [InlineData("savedmodel/multi_input_shared_submodel_tf23", 2)]
    public void CorpusModelsConvertToKeras3WithIdenticalOutputs(string file, int generation)
    {
        var path = SharedData.CorpusPath(file);
        var description = KerasModelReader.Load(path);
        Assert.Equal(generation, description.KerasMajorVersion);
        Assert.Equal(0, RoundTrip(description, ConversionTarget.Keras));
        Assert.Equal(0, RoundTrip(description, ConversionTarget.TorchSharp));
    }

    [SkippableFact]
    public void AKeras1HardSigmoidLstmIsRefusedForKeras3ButConvertsForTorchSharp()
    {
        var path = SharedData.CorpusPath("dl4j", "simple_lstm_simple_lstm_tf_keras_1_model.h5");
        var description = KerasModelReader.Load(path);
        using var scratch = new Scratch();
        var error = Assert.Throws<UnsupportedLayerException>(() => ModelConverter.Write(description, ConversionTarget.Keras, Path.Combine(scratch.Dir, "m.keras"), force: false));
        Assert.Contains("hard_sigmoid", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Dir));
        Assert.Equal(0, RoundTrip(description, ConversionTarget.TorchSharp));
    }

    [Fact]
    public void TheKerasFileHasKeras3ConfigAndWeightLayout()
    {
        using var scratch = new Scratch();
        var output = Path.Combine(scratch.Dir, "m.keras");
        ModelConverter.Write(KerasModelReader.Load(Path.Combine(Fixtures, "core", "embedding", "model.h5")), ConversionTarget.Keras, output, force: false);
        using var zip = System.IO.Compression.ZipFile.OpenRead(output);
        Assert.Equal(["metadata.json", "config.json", "model.weights.h5"], zip.Entries.Select(e => e.FullName));
        using var reader = new StreamReader(zip.GetEntry("config.json")!.Open());
        var config = System.Text.Json.Nodes.JsonNode.Parse(reader.ReadToEnd())!;
        Assert.Equal("Functional", (string?)config["class_name"]);
        var layers = config["config"]!["layers"]!.AsArray();
        Assert.All(layers, l => Assert.NotNull(l!["module"]));
        Assert.Contains(layers, l => l!["inbound_nodes"]!.AsArray().Any(n => n!["args"]!.ToJsonString().Contains("__keras_tensor__")));
        using var weights = new MemoryStream();
        using (var entry = zip.GetEntry("model.weights.h5")!.Open()) entry.CopyTo(weights);
        weights.Position = 0;
        using var h5 = H5File.Open(weights, leaveOpen: true);
        Assert.Equal("embedding", h5.Group("layers/embedding/vars").Attribute("name").Read<string>());
        Assert.True(h5.LinkExists("layers/embedding/vars/0"));
        Assert.True(h5.LinkExists("vars"));
    }

    [Fact]
    public void TheKerasPortArchiveIsDetectedByContent()
    {
        using var scratch = new Scratch();
        var output = Path.Combine(scratch.Dir, "m.bin");
        ModelConverter.Write(KerasModelReader.Load(Fixture("embedding")), ConversionTarget.TorchSharp, output, force: false);
        Assert.Equal(ModelFileFormat.KerasPortArchive, KerasModelReader.DetectFormat(output));
        Assert.Equal(ModelFileFormat.KerasArchive, KerasModelReader.DetectFormat(Fixture("embedding")));
    }

    [Fact]
    public void AnExistingOutputIsKeptUnlessForced()
    {
        using var scratch = new Scratch();
        var output = Path.Combine(scratch.Dir, "out.kerasport");
        File.WriteAllText(output, "keep me");
        var (exitCode, text) = CliTests.Run("convert", Fixture("embedding"), "-o", output, "--no-verify");
        Assert.Equal(2, exitCode);
        Assert.Contains("--force", text);
        Assert.Equal("keep me", File.ReadAllText(output));
        (exitCode, text) = CliTests.Run("convert", Fixture("embedding"), "-o", output, "--force");
        Assert.Equal(0, exitCode);
        Assert.Contains("max abs difference 0", text);
        Assert.Equal(ModelFileFormat.KerasPortArchive, KerasModelReader.DetectFormat(output));
    }

    [Fact]
    public void TheDefaultOutputSitsNextToTheInputAndNeverReplacesIt()
    {
        Assert.Equal("/m/model.kerasport", ModelConverter.DefaultOutput("/m/model.h5", ConversionTarget.TorchSharp));
        Assert.Equal("/m/model.keras", ModelConverter.DefaultOutput("/m/model.h5", ConversionTarget.Keras));
        Assert.Equal("/m/model.converted.keras", ModelConverter.DefaultOutput("/m/model.keras", ConversionTarget.Keras));
        Assert.Equal("/m/model.weights.h5", ModelConverter.DefaultOutput("/m/model.h5", ConversionTarget.KerasWeights));
        Assert.Equal("/m/model.weights.json", ModelConverter.DefaultOutput("/m/model.h5", ConversionTarget.KerasWeights, sharded: true));
        Assert.Throws<ModelFileException>(() => ModelConverter.Write(KerasModelReader.Load(Fixture("embedding")), ConversionTarget.Keras, Fixture("embedding"), force: true, Fixture("embedding")));
    }

    [Fact]
    public void AFailedConversionLeavesNothingBehind()
    {
        using var scratch = new Scratch();
        var description = KerasModelReader.Load(Fixture("embedding"));
        // A layer whose weights have no Keras 3 layout fails while writing, after the temporary file was created.
        var broken = description with { Layers = description.Layers.Select(l => l.Weights.Count > 0 ? l with { ClassName = "ConvLSTM2D", Weights = l.Weights.Select(w => w with { Name = "x/kernel:0" }).ToList() } : l).ToList() };
        var output = Path.Combine(scratch.Dir, "out.keras");
        Assert.Throws<UnsupportedLayerException>(() => ModelConverter.Write(broken, ConversionTarget.Keras, output, force: false));
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Dir));
    }

    static string Fixture(string name) => Path.Combine(Fixtures, "core", name, "model.keras");

    /// <summary>
    /// Writes <paramref name="description"/> as <paramref name="target"/>, loads it back, and returns the largest output
    /// difference on <paramref name="inputs"/> (by input name; default: seeded ones).
    /// </summary>
    /// <summary>
    /// The inputs recorded in the io.npz beside golden model file <paramref name="modelPath"/>: seeded random ones can fall
    /// outside what a model accepts (CategoryEncoding's token range).
    /// </summary>
    internal static Dictionary<string, NdArray> CaseInputs(ModelDescription description, string modelPath)
    {
        var npz = Path.Combine(Path.GetDirectoryName(modelPath)!, "io.npz");
        var arrays = NpzArchive.Read(npz);
        return description.Inputs.Zip(LayerDiff.CaseInputs(description, arrays, npz)).ToDictionary(p => p.First.Layer, p => p.Second);
    }

    internal static double RoundTrip(ModelDescription description, ConversionTarget target, IReadOnlyDictionary<string, NdArray>? inputs = null)
    {
        using var scratch = new Scratch();
        var output = Path.Combine(scratch.Dir, "model" + ModelConverter.Extension(target));
        ModelConverter.Write(description, target, output, force: false);
        using var original = KerasModel.Create(description);
        using var converted = KerasModel.Load(output);
        inputs ??= ReferenceInputs.Generate(description, seed: 7);
        var expected = original.Predict(inputs);
        var actual = converted.Predict(inputs);
        Assert.Equal(expected.Keys, actual.Keys);
        double worst = 0;
        foreach (var name in expected.Keys)
        {
            Assert.Equal(expected[name].Shape, actual[name].Shape);
            var (x, y) = (expected[name].ToDoubles(), actual[name].ToDoubles());
            for (int i = 0; i < x.Length; i++)
                if (!(double.IsNaN(x[i]) && double.IsNaN(y[i]))) worst = Math.Max(worst, Math.Abs(x[i] - y[i]));
        }
        return worst;
    }

    internal sealed class Scratch : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("kerasport-convert-").FullName;

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
