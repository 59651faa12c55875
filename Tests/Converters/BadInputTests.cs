using PureHDF;

namespace KerasPort.Tests.Converters;

/// <summary>Bad input gets a typed error that names the file, part, layer or weight at fault; never a crash or garbage.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("kerasport-bad-input-").FullName;

    static string Fixture(string caseName, string file) => Path.Combine(TestPaths.RepoRoot, "Fixtures", "golden", "core", caseName, file);

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = Path.Combine(scratch, "no-such-model.h5");
        var error = Assert.Throws<ModelFileNotFoundException>(() => KerasModelReader.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void MissingWeightsFileIsNamed()
    {
        var weights = Path.Combine(scratch, "absent.weights.h5");
        var error = Assert.Throws<ModelFileNotFoundException>(() => KerasModelReader.Load(Fixture("embedding", "model.json"), weights));
        Assert.Equal(weights, error.FilePath);
    }

    [Fact]
    public void Hdf5ThatIsNotAKerasModelIsRejected()
    {
        var path = Path.Combine(scratch, "measurements.h5");
        new H5File { ["temperature"] = new[] { 20.5f, 21.0f } }.Write(path);
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal("/", error.Part);
        Assert.Contains("not a Keras model", error.Message);
    }

    [Fact]
    public void WeightsOnlyHdf5AsAModelSaysWhatIsMissing()
    {
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(Fixture("embedding", "model.legacy-weights.h5")));
        Assert.Contains("only weights", error.Message);
    }

    [Fact]
    public void WeightsOfAnotherModelAreAShapeMismatchNamingLayerAndWeight()
    {
        // embedding's architecture with dense_3d_nobias's Keras 3 weights: the 'dense' group holds a (7, 4) kernel, not (28, 3).
        var model = KerasModelReader.Load(Fixture("embedding", "model.json"));
        var foreign = KerasModelReader.AttachWeights(model with { Layers = model.Layers.Where(l => l.ClassName != "Embedding").ToList() },
            Fixture("dense_3d_nobias", "model.weights.h5"));
        var dense = foreign.Layers.Single(l => l.Name == "dense");
        var mixed = model with { Layers = model.Layers.Select(l => l.Name == "dense" ? dense : l).ToList() };
        var withEmbedding = KerasModelReader.AttachWeights(model, Fixture("embedding", "model.weights.h5"));
        mixed = mixed with { Layers = mixed.Layers.Select(l => l.ClassName == "Embedding" ? withEmbedding.Layer(l.Name) : l).ToList() };

        var error = Assert.Throws<WeightMismatchException>(() => KerasModel.Create(mixed));
        Assert.Equal("dense", error.LayerName);
        Assert.Equal("vars/0", error.WeightName);
        Assert.Contains("(7, 4)", error.Message);
    }

    [Fact]
    public void MissingWeightsAreReportedPerLayer()
    {
        var model = KerasModelReader.Load(Fixture("embedding", "model.json"));
        var error = Assert.Throws<WeightMismatchException>(() => KerasModel.Create(model));
        Assert.Equal("embedding", error.LayerName);
    }

    [Fact]
    public void LegacyWeightShapeMismatchNamesTheHdf5Weight()
    {
        var model = KerasModelReader.Load(Fixture("embedding", "model.h5"));
        var dense = model.Layer("dense");
        var kernel = dense.Weights[0];
        var wrong = kernel with { Value = NdArray.Of(new float[28 * 5], 28, 5) };
        var broken = model with { Layers = model.Layers.Select(l => l == dense ? l with { Weights = [wrong, dense.Weights[1]] } : l).ToList() };
        var error = Assert.Throws<WeightMismatchException>(() => KerasModel.Create(broken));
        Assert.Equal("dense", error.LayerName);
        Assert.Equal(kernel.Name, error.WeightName);
    }

    [Fact]
    public void TruncatedKerasArchiveIsAFileError()
    {
        var bytes = File.ReadAllBytes(Fixture("embedding", "model.keras"));
        var path = Path.Combine(scratch, "truncated.keras");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void TruncatedHdf5IsAFileError()
    {
        var bytes = File.ReadAllBytes(Fixture("embedding", "model.h5"));
        var path = Path.Combine(scratch, "truncated.h5");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var error = Assert.ThrowsAny<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void KerasArchiveWhoseWeightsExpandAbsurdlyIsRefused()
    {
        // A tiny archive whose model.weights.h5 inflates to 64 MB of zeros: far beyond any real compression ratio.
        var path = Path.Combine(scratch, "bomb.keras");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("config.json").Open()))
                writer.Write(File.ReadAllText(Fixture("embedding", "model.json")));
            using var weights = zip.CreateEntry("model.weights.h5", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) weights.Write(zeros);
        }
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Equal("model.weights.h5", error.Part);
        Assert.Contains("zip bomb", error.Message);
    }

    [Fact]
    public void PickleIsRefusedByItsMagicBytesAndNeverUnpickled()
    {
        var path = Path.Combine(scratch, "model.h5");
        File.WriteAllBytes(path, [0x80, 0x04, 0x95, 0x00, 0x00]);
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Contains("pickle", error.Message);
    }

    [Fact]
    public void TextThatIsNoModelIsRejected()
    {
        var path = Path.Combine(scratch, "notes.txt");
        File.WriteAllText(path, "these are not the weights you are looking for\n");
        Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
    }

    [Fact]
    public void SubclassedModelConfigSaysWhyItCannotLoad()
    {
        var path = Path.Combine(scratch, "subclassed.json");
        File.WriteAllText(path, """{"class_name": "MyVAE", "config": {"latent_dim": 2}}""");
        var error = Assert.Throws<ModelFileException>(() => KerasModelReader.Load(path));
        Assert.Contains("MyVAE", error.Message);
        Assert.Contains("subclassed", error.Message);
    }

    [Fact]
    public void UnknownLayerClassIsUnsupportedWithItsName()
    {
        var json = File.ReadAllText(Fixture("embedding", "model.json")).Replace("\"Flatten\"", "\"FancyFlatten\"");
        var path = Path.Combine(scratch, "fancy.json");
        File.WriteAllText(path, json);
        var model = KerasModelReader.Load(path, Fixture("embedding", "model.legacy-weights.h5"));
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasModel.Create(model));
        Assert.Equal("FancyFlatten", error.ClassName);
        Assert.Equal("flatten", error.LayerName);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
