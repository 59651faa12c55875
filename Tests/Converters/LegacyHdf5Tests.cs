using KerasPort.Converters.Hdf5;
using KerasPort.Reference.Parity;
using KerasPort.Reference.Worker;
using PureHDF;

namespace KerasPort.Tests.Converters;

/// <summary>
/// <c>kerasport convert --to h5</c> (and <c>--to keras</c> from legacy files): every golden case converts with identical
/// outputs, and the written <c>.h5</c> has the layout Keras itself wrote into the golden <c>model.h5</c> files.
/// </summary>
public sealed class LegacyHdf5Tests
{
    /// <summary>Every golden case's <c>model.keras</c> and <c>model.h5</c> (app_configs have no weights).</summary>
    public static TheoryData<string> GoldenFiles() => SharedData.Rows(TestPaths.Golden, golden =>
        from dir in Directory.GetDirectories(golden, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        from file in new[] { "model.keras", "model.h5" }
        where File.Exists(Path.Combine(dir, file))
        select Path.GetRelativePath(golden, Path.Combine(dir, file)));

    /// <summary>Golden cases that have a <c>model.h5</c> written by Keras.</summary>
    public static TheoryData<string> GoldenCasesWithH5() => SharedData.Rows(TestPaths.Golden, golden =>
        Directory.GetDirectories(golden, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Where(dir => File.Exists(Path.Combine(dir, "model.h5"))).Select(dir => Path.GetRelativePath(golden, dir)));

    [SkippableTheory]
    [MemberData(nameof(GoldenFiles))]
    public void EveryGoldenCaseConvertsToH5AndKerasWithIdenticalOutputs(string file) =>
        GoldenGaps.Run("h5", GoldenGaps.CaseOf(file), () => ConvertsToH5AndKerasWithIdenticalOutputs(file), GoldenGaps.FormatOf(file));

    static void ConvertsToH5AndKerasWithIdenticalOutputs(string file)
    {
        var path = SharedData.GoldenPath(file);
        var description = KerasModelReader.Load(path);
        var inputs = ConvertTests.CaseInputs(description, path);
        Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.LegacyHdf5, inputs));
        // From a legacy file, --to keras maps legacy weight names to Keras 3 sub-objects (RNN cells, ConvLSTM, SpectralNormalization, GQA, ...).
        if (file.EndsWith(".h5", StringComparison.Ordinal)) Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.Keras, inputs));
    }

    /// <summary>
    /// Written from the case's <c>model.keras</c> and from its <c>model.h5</c>, the file has Keras's root attributes and the
    /// golden file's layer names, weight names, dataset shapes and element types.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(GoldenCasesWithH5))]
    public void TheH5FileHasTheLayoutKerasWrote(string caseDir) =>
        GoldenGaps.Run("h5-layout", GoldenGaps.CaseOf(caseDir), () => HasTheLayoutKerasWrote(caseDir));

    static void HasTheLayoutKerasWrote(string caseDir)
    {
        var dir = SharedData.GoldenPath(caseDir);
        var expected = Layout(Path.Combine(dir, "model.h5"), "model_weights");
        foreach (var source in new[] { "model.keras", "model.h5" })
        {
            using var scratch = new ConvertTests.Scratch();
            var output = Path.Combine(scratch.Dir, "out.h5");
            ModelConverter.Write(KerasModelReader.Load(Path.Combine(dir, source)), ConversionTarget.LegacyHdf5, output, force: false);
            Assert.Equal(expected, Layout(output, "model_weights"));
            using var h5 = H5File.OpenRead(output);
            foreach (var attribute in new[] { "keras_version", "backend", "model_config" }) Assert.True(h5.AttributeExists(attribute), attribute);
        }
    }

    /// <summary>The weights-only file has the layout of the golden <c>model.legacy-weights.h5</c> and loads with <c>model.json</c>.</summary>
    [SkippableTheory]
    [InlineData("recurrent/rnn_cells")]
    [InlineData("normalization/spectral_normalization_wrapper")]
    [InlineData("graph/nested_sequential")]
    [InlineData("applications/mobilenet_v2")]
    public void TheWeightsFileMatchesKerasAndLoadsWithTheArchitecture(string caseDir)
    {
        var dir = SharedData.GoldenPath(caseDir);
        using var scratch = new ConvertTests.Scratch();
        var output = Path.Combine(scratch.Dir, "weights.h5");
        var description = KerasModelReader.Load(Path.Combine(dir, "model.keras"));
        using (var stream = File.Create(output)) LegacyHdf5Writer.WriteWeights(description, stream);
        Assert.Equal(Layout(Path.Combine(dir, "model.legacy-weights.h5"), null), Layout(output, null));
        var reloaded = KerasModelReader.Load(Path.Combine(dir, "model.json"), output);
        using var original = KerasModel.Create(description);
        using var converted = KerasModel.Create(reloaded);
        var inputs = ReferenceInputs.Generate(description, seed: 3);
        var (expected, actual) = (original.Predict(inputs), converted.Predict(inputs));
        foreach (var name in expected.Keys) Assert.Equal(expected[name].ToFloats(), actual[name].ToFloats());
    }

    /// <summary>Keras 1 and 2 models (Theano kernels, Keras 1 hard_sigmoid LSTMs, tf.keras .keras) keep their generation and outputs.</summary>
    [SkippableTheory]
    [InlineData("dl4j/simple_lstm_simple_lstm_tf_keras_1_model.h5", 1)]
    [InlineData("dl4j_k1_conv2d_theano.h5", 1)]
    [InlineData("dl4j_k1_bidirectional_lstm.h5", 1)]
    [InlineData("churn_mlp_k215.h5", 2)]
    [InlineData("seq2seq_katakana_k224.h5", 2)]
    [InlineData("ecg_transformer_tfoplambda_k215.keras", 2)]
    public void Keras1And2ModelsBecomeKeras2FilesWithIdenticalOutputs(string file, int generation)
    {
        var path = SharedData.CorpusPath(file);
        var description = KerasModelReader.Load(path);
        Assert.Equal(generation, description.KerasMajorVersion);
        Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.LegacyHdf5));
        using var scratch = new ConvertTests.Scratch();
        var output = Path.Combine(scratch.Dir, "m.h5");
        ModelConverter.Write(description, ConversionTarget.LegacyHdf5, output, force: false);
        var reread = KerasModelReader.Load(output);
        Assert.Equal(generation, reread.KerasMajorVersion);
        // tf.keras names weights with a :0 suffix (Keras 1 names are kept as the file had them) and writes calls as
        // [layer, node, tensor, kwargs] lists.
        if (generation == 2) Assert.All(Layout(output, "model_weights").Where(l => l.StartsWith("weight ", StringComparison.Ordinal)), l => Assert.Contains(":0 ", l));
        using var h5 = H5File.OpenRead(output);
        var config = System.Text.Json.Nodes.JsonNode.Parse(h5.Attribute("model_config").Read<string>())!;
        foreach (var layer in config["config"]!["layers"]!.AsArray())
            if (layer!["inbound_nodes"] is System.Text.Json.Nodes.JsonArray nodes)
                Assert.All(nodes, n => Assert.IsType<System.Text.Json.Nodes.JsonArray>(n));
    }

    [Fact]
    public void TheCliConvertsToH5AndVerifies()
    {
        using var scratch = new ConvertTests.Scratch();
        var output = Path.Combine(scratch.Dir, "m.h5");
        var (exitCode, text) = Cli.CliTests.Run("convert", Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding", "model.keras"), "--to", "h5", "-o", output);
        Assert.Equal(0, exitCode);
        Assert.Contains("max abs difference 0", text);
        Assert.Matches(@"wrote .*m\.h5: h5, [\d,]+ bytes, [\d,]+ parameters, [\d.]+ s", text);
        Assert.Equal(ModelFileFormat.Hdf5Model, KerasModelReader.DetectFormat(output));
    }

    /// <summary>
    /// The legacy layout as lines: <c>layers a b c</c>, then per layer group (in layer order) <c>weight NAME SHAPE TYPE</c>;
    /// <paramref name="group"/> is the weights group (null: the root).
    /// </summary>
    static List<string> Layout(string path, string? group)
    {
        using var file = H5File.OpenRead(path);
        IH5Group weights = group is null ? file : file.Group(group);
        var layers = Strings(weights, "layer_names");
        var lines = new List<string> { "layers " + string.Join(" ", layers) };
        foreach (var layer in layers.Append("top_level_model_weights"))
        {
            var layerGroup = weights.Group(layer);
            lines.Add("group " + layer);
            foreach (var name in Strings(layerGroup, "weight_names"))
            {
                var dataset = layerGroup.Dataset(name);
                lines.Add($"weight {name} ({string.Join(",", dataset.Space.Dimensions)}) {dataset.Type.Class}{dataset.Type.Size}");
            }
        }
        return lines;
    }

    static string[] Strings(IH5Object owner, string name)
    {
        var attribute = owner.Attribute(name);
        return attribute.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength ? attribute.Read<string[]>() : [];
    }
}
