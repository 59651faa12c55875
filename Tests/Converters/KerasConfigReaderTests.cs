using KerasPort.Converters.Keras;

namespace KerasPort.Tests.Converters;

/// <summary>The config reader understands every generation's graph encoding and yields the same description shape.</summary>
public sealed class KerasConfigReaderTests
{
    [Fact]
    public void Keras2InboundNodesWithKwargsAndListInputs()
    {
        const string json = """
        {"class_name": "Model", "keras_version": "2.2.4", "backend": "tensorflow", "config": {"name": "m", "layers": [
          {"name": "a", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "name": "a"}, "inbound_nodes": []},
          {"name": "b", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "name": "b"}, "inbound_nodes": []},
          {"name": "cat", "class_name": "Concatenate", "config": {"name": "cat", "axis": -1},
           "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]},
          {"name": "d", "class_name": "Dense", "config": {"name": "d", "units": 2},
           "inbound_nodes": [[["cat", 0, 0, {"training": false}]]]}],
          "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["d", 0, 0]]}}
        """;
        var model = KerasConfigReader.Parse(json, "test.json");
        Assert.Equal("2.2.4", model.KerasVersion);
        Assert.Equal(2, model.KerasMajorVersion);
        Assert.Equal(["a", "b"], model.Inputs.Select(i => i.Layer));
        var concat = Assert.IsType<ListArgument>(Assert.Single(model.Layer("cat").InboundNodes[0].Args));
        Assert.Equal(["a", "b"], concat.Tensors.Select(t => t.Layer));
        var dense = model.Layer("d").InboundNodes[0];
        Assert.Equal(new TensorRef("cat", 0, 0), Assert.IsType<TensorArgument>(Assert.Single(dense.Args)).Tensor);
        Assert.Contains("training", dense.Kwargs.Keys);
    }

    [Fact]
    public void Keras1InboundNodesWithoutKwargs()
    {
        const string json = """
        {"class_name": "Model", "keras_version": "1.2.2", "config": {"name": "m", "layers": [
          {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "x"}, "inbound_nodes": []},
          {"name": "h", "class_name": "Dense", "config": {"name": "h", "output_dim": 3}, "inbound_nodes": [[["x", 0, 0]]]}],
          "input_layers": [["x", 0, 0]], "output_layers": [["h", 0, 0]]}}
        """;
        var model = KerasConfigReader.Parse(json, "k1.json");
        Assert.Equal(1, model.KerasMajorVersion);
        Assert.Equal(new TensorRef("x", 0, 0), model.Layer("h").InboundNodes[0].Tensors.Single());
    }

    [Fact]
    public void Keras2SequentialAsBareListGetsAnInputLayerNamedAfterTheFirstLayer()
    {
        const string json = """
        {"class_name": "Sequential", "keras_version": "2.1.2", "config": [
          {"class_name": "Dense", "config": {"name": "dense_1", "units": 4, "batch_input_shape": [null, 8], "dtype": "float32"}},
          {"class_name": "Dense", "config": {"name": "dense_2", "units": 1}}]}
        """;
        var model = KerasConfigReader.Parse(json, "seq.json");
        Assert.Equal(["dense_1_input", "dense_1", "dense_2"], model.Layers.Select(l => l.Name));
        Assert.Equal("InputLayer", model.Layers[0].ClassName);
        Assert.Equal(new TensorRef("dense_2", 0, 0), Assert.Single(model.Outputs));
    }

    [SkippableFact]
    public void DictOutputsAreOrderedBySortedKey()
    {
        var model = KerasModelReader.Load(SharedData.GoldenPath("graph", "dict_io", "model.json"));
        Assert.Equal(["aux", "score"], model.OutputNames);
        Assert.Equal(["aux", "score"], model.Outputs.Select(o => o.Layer));
    }

    [Fact]
    public void PythonNonFiniteNumbersAreAccepted()
    {
        const string json = """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Masking", "config": {"name": "m", "mask_value": NaN, "batch_input_shape": [null, 2]}}]}}""";
        var model = KerasConfigReader.Parse(json, "nan.json");
        Assert.Equal("NaN", (string?)model.Layer("m").Config["mask_value"]);
    }

    [Theory]
    [InlineData("Dense", "dense")]
    [InlineData("EinsumDense", "einsum_dense")]
    [InlineData("GlobalAveragePooling1D", "global_average_pooling1d")]
    [InlineData("LSTM", "lstm")]
    [InlineData("PReLU", "p_re_lu")]
    [InlineData("Conv2DTranspose", "conv2d_transpose")]
    public void SnakeCaseMatchesKerasNaming(string className, string expected) =>
        Assert.Equal(expected, KerasConfigReader.ToSnakeCase(className));

    [Fact]
    public void JsonAndYamlArchitecturesGiveTheSameDescription()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "reshape_permute_flatten");
        var fromJson = KerasModelReader.Load(Path.Combine(dir, "model.json"));
        var fromYaml = KerasModelReader.Load(Path.Combine(dir, "model.yaml"));
        Assert.Equal(fromJson.Layers.Select(l => (l.Name, l.ClassName)), fromYaml.Layers.Select(l => (l.Name, l.ClassName)));
        // yaml.safe_dump sorts keys, so compare configs as trees.
        Assert.All(fromJson.Layers.Zip(fromYaml.Layers), pair => Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(pair.First.Config, pair.Second.Config), pair.First.Name));
    }

    [Fact]
    public void FormatIsDetectedByContentNotExtension()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", "embedding");
        var scratch = Directory.CreateTempSubdirectory("kerasport-detect-").FullName;
        try
        {
            var cases = new (string File, ModelFileFormat Format)[]
            {
                ("model.keras", ModelFileFormat.KerasArchive), ("model.h5", ModelFileFormat.Hdf5Model),
                ("model.json", ModelFileFormat.Json), ("model.yaml", ModelFileFormat.Yaml),
                ("model.weights.h5", ModelFileFormat.Hdf5Keras3Weights), ("model.legacy-weights.h5", ModelFileFormat.Hdf5LegacyWeights),
            };
            foreach (var (file, format) in cases)
            {
                var renamed = Path.Combine(scratch, file.Replace('.', '_') + ".bin");
                File.Copy(Path.Combine(dir, file), renamed);
                Assert.Equal(format, KerasModelReader.DetectFormat(renamed));
            }
        }
        finally { Directory.Delete(scratch, true); }
    }
}
