using System.IO.Compression;
using KerasPort.Tests.Converters;

namespace KerasPort.Tests.Runtime;

/// <summary>
/// The .keras files of Fixtures/text (written by Fixtures/text/make_text_fixtures.py in Keras's config and asset
/// layout, the numeric part saved by real Keras): adapted vocabularies come from <c>assets/</c>, in a zip and in an
/// unzipped folder, and the outputs match what Keras computes on the token ids the layers' docstrings publish.
/// </summary>
public sealed class TextFixtureTests
{
    public static TheoryData<string> Cases() => ["text_vectorization_adapted", "string_lookup_multi_hot"];

    static string CaseDir(string name) => Path.Combine(TestPaths.RepoRoot, "Fixtures", "text", name);

    static IReadOnlyDictionary<string, NdArray> Io(string name) => NpzArchive.Read(Path.Combine(CaseDir(name), "io.npz"));

    static void AssertMatchesKeras(string name, ModelDescription description)
    {
        using var model = KerasModel.Create(description);
        var io = Io(name);
        var actual = model.Predict(io["text"])[0];
        Assert.Equal(io["output"].Shape, actual.Shape);
        var (x, y) = (io["output"].ToDoubles(), actual.ToDoubles());
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-6, $"element {i}: Keras {x[i]}, KerasPort {y[i]}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheVocabularyComesFromTheAssets(string name)
    {
        var description = KerasModelReader.Load(Path.Combine(CaseDir(name), "model.keras"));
        Assert.NotNull(description.Layers[1].Config["vocabulary"]);
        AssertMatchesKeras(name, description);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnUnzippedArchiveLoadsTheSame(string name)
    {
        using var scratch = new ConvertTests.Scratch();
        ZipFile.ExtractToDirectory(Path.Combine(CaseDir(name), "model.keras"), scratch.Dir);
        Assert.Equal(ModelFileFormat.KerasDirectory, KerasModelReader.DetectFormat(scratch.Dir));
        AssertMatchesKeras(name, KerasModelReader.Load(scratch.Dir));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KerasAndH5ConversionsKeepTheVocabulary(string name)
    {
        var description = KerasModelReader.Load(Path.Combine(CaseDir(name), "model.keras"));
        var inputs = new Dictionary<string, NdArray> { ["text"] = Io(name)["text"] };
        Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.Keras, inputs));
        Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.LegacyHdf5, inputs));
        Assert.Equal(0, ConvertTests.RoundTrip(description, ConversionTarget.TorchSharp, inputs));
    }

    [Fact]
    public void WithoutItsAssetAnAdaptedLayerIsRefusedWithTheReason()
    {
        using var scratch = new ConvertTests.Scratch();
        var stripped = Path.Combine(scratch.Dir, "model.keras");
        File.Copy(Path.Combine(CaseDir("text_vectorization_adapted"), "model.keras"), stripped);
        using (var zip = ZipFile.Open(stripped, ZipArchiveMode.Update))
            foreach (var asset in zip.Entries.Where(e => e.FullName.StartsWith("assets/", StringComparison.Ordinal)).ToList()) asset.Delete();
        var error = Assert.ThrowsAny<KerasPortException>(() => KerasModel.Load(stripped));
        Assert.Contains("TextVectorization", error.Message);
        Assert.Contains("no saved vocabulary", error.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxExportRefusesTheStringLayerByName(string name)
    {
        var description = KerasModelReader.Load(Path.Combine(CaseDir(name), "model.keras"));
        using var scratch = new ConvertTests.Scratch();
        var error = Assert.Throws<UnsupportedLayerException>(() => ModelConverter.Write(description, ConversionTarget.Onnx, Path.Combine(scratch.Dir, "m.onnx"), force: false));
        Assert.Equal(description.Layers[1].ClassName, error.ClassName);
        Assert.Contains("cannot be exported to ONNX exactly", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Dir));
    }
}
