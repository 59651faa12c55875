using System.IO.Compression;
using System.Text;
using KerasPort.KerasHub;

namespace KerasPort.Tests.KerasHub;

/// <summary>Bad KerasHub tokenizer files give typed errors that name the file (and the part at fault), never a crash or a read outside.</summary>
public sealed class TokenizerFileErrorTests : IDisposable
{
    readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kerashub-bad-");

    public void Dispose() => _folder.Delete(true);

    string Archive(params (string Name, string Text)[] entries)
    {
        var path = Path.Combine(_folder.FullName, $"m{Guid.NewGuid():N}.keras");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }
        return path;
    }

    const string GemmaTokenizer = """{"class_name": "GemmaTokenizer", "registered_name": "keras_hub>GemmaTokenizer", "config": {"proto": null, "sequence_length": null, "add_bos": false, "add_eos": false}}""";

    [Fact]
    public void MissingFileIsNamed() =>
        Assert.Throws<ModelFileNotFoundException>(() => KerasHubTokenizer.Load(Path.Combine(_folder.FullName, "absent.keras")));

    [Fact]
    public void NotAZipIsAModelFileError()
    {
        var path = Path.Combine(_folder.FullName, "junk.keras");
        File.WriteAllText(path, "not a zip");
        var error = Assert.Throws<ModelFileException>(() => KerasHubTokenizer.Load(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void MissingAssetIsNamed()
    {
        var path = Archive(("config.json", GemmaTokenizer));
        var error = Assert.Throws<ModelFileException>(() => KerasHubTokenizer.Load(path));
        Assert.Equal("vocabulary.spm", error.Part);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void GarbageProtoIsNamed()
    {
        var path = Archive(("config.json", GemmaTokenizer), ("assets/vocabulary.spm", "\u00ff\u00fe garbage"));
        var error = Assert.Throws<ModelFileException>(() => KerasHubTokenizer.Load(path));
        Assert.Equal("vocabulary.spm", error.Part);
    }

    [Fact]
    public void UnknownTokenizerClassIsUnsupported()
    {
        var path = Archive(("config.json", """{"class_name": "ByteTokenizer", "config": {}}"""));
        var error = Assert.Throws<UnsupportedLayerException>(() => KerasHubTokenizer.Load(path));
        Assert.Equal("ByteTokenizer", error.ClassName);
    }

    [Fact]
    public void WrongTypedSettingIsNamed()
    {
        var path = Archive(("config.json", GemmaTokenizer.Replace("\"sequence_length\": null", "\"sequence_length\": \"long\"")));
        var error = Assert.Throws<ModelFileException>(() => KerasHubTokenizer.Load(path));
        Assert.Equal("config.sequence_length", error.Part);
    }

    [Fact]
    public void VocabularyPathInTheConfigIsRefused()
    {
        // keras-hub saves proto: null and the vocabulary as an asset; a path here would read a file outside the model.
        var path = Archive(("config.json", GemmaTokenizer.Replace("\"proto\": null", "\"proto\": \"/etc/passwd\"")));
        Assert.Throws<ModelFileException>(() => KerasHubTokenizer.Load(path));
    }

    [Fact]
    public void TaskWithoutPreprocessorSaysSo()
    {
        var path = Archive(("config.json", """{"class_name": "LlamaCausalLM", "config": {"backbone": {}, "preprocessor": null}}"""));
        var error = Assert.Throws<ModelFileException>(() => CausalLMPreprocessor.Load(path));
        Assert.Contains("without a preprocessor", error.Message);
    }

    [Fact]
    public void PresetAssetLinkOutOfTheFolderIsRefused()
    {
        var preset = Directory.CreateDirectory(Path.Combine(_folder.FullName, "preset"));
        File.WriteAllText(Path.Combine(preset.FullName, "tokenizer.json"), GemmaTokenizer);
        Directory.CreateDirectory(Path.Combine(preset.FullName, "assets"));
        var outside = Path.Combine(_folder.FullName, "secret");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(preset.FullName, "assets", "tokenizer"), outside);
        Assert.Throws<UnsafeModelFileException>(() => KerasHubTokenizer.Load(preset.FullName));
    }
}
