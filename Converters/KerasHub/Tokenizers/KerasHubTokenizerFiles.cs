using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KerasPort.Converters;

namespace KerasPort.KerasHub;

/// <summary>
/// The tokenizer (and causal-LM preprocessor, if any) of a KerasHub save, with its vocabulary assets. Reads:
/// <list type="bullet">
/// <item>a <c>.keras</c> archive (or its unzipped folder) holding a tokenizer alone (assets in <c>assets/</c>), a
/// preprocessor (<c>assets/tokenizer/</c>) or a task whose <c>config.preprocessor</c> holds one
/// (<c>assets/preprocessor/tokenizer/</c>): Keras saves each object's assets under its attribute path
/// (keras/src/saving/saving_lib.py);</item>
/// <item>a preset folder (<c>preprocessor.json</c> or <c>tokenizer.json</c>, assets in <c>assets/tokenizer/</c>:
/// keras_hub/src/tokenizers/tokenizer.py <c>load_preset_assets</c>).</item>
/// </list>
/// Every read stays inside the archive or folder; sizes are capped before inflating.
/// </summary>
/// <param name="Tokenizer">The tokenizer's config.</param>
/// <param name="Preprocessor">The causal-LM preprocessor's config, or null when the file holds a tokenizer alone.</param>
/// <param name="Assets">The tokenizer's vocabulary.</param>
public sealed record KerasHubTokenizerFiles(KerasHubTokenizerConfig Tokenizer, KerasHubPreprocessorConfig? Preprocessor, KerasHubTokenizerAssets Assets)
{
    const long MaxJsonBytes = 64L << 20;
    const long MaxAssetBytes = 1L << 30;

    /// <summary>Reads the KerasHub save at <paramref name="path"/> (a <c>.keras</c> file, an unzipped one, or a preset folder).</summary>
    /// <exception cref="ModelFileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFileException">No tokenizer in it, or a malformed config or asset.</exception>
    /// <exception cref="UnsafeModelFileException">A link or name that leads out of the folder.</exception>
    public static KerasHubTokenizerFiles Read(string path)
    {
        if (Directory.Exists(path)) return ReadFolder(path);
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return FromArchive(zip, path, ReadJson(ZipEntry(zip, path, "config.json", MaxJsonBytes), path, "config.json"));
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, null, $"not a .keras (zip) archive: {e.Message}", e); }
    }

    static KerasHubTokenizerFiles ReadFolder(string folder)
    {
        if (ReadPreset(folder) is { } preset) return preset;
        // An unzipped .keras folder.
        var config = ReadFolderFile(folder, "config.json", MaxJsonBytes)
            ?? throw new ModelFileException(folder, null, "neither a KerasHub preset (preprocessor.json or tokenizer.json) nor an unzipped .keras folder (config.json)");
        return FromFolder(folder, ReadJson(config, folder, "config.json"));
    }

    /// <summary>A preset folder's tokenizer: <c>preprocessor.json</c> (with its tokenizer) or <c>tokenizer.json</c>, assets in <c>assets/tokenizer/</c>; null if it has neither.</summary>
    internal static KerasHubTokenizerFiles? ReadPreset(string folder)
    {
        foreach (var (file, isPreprocessor) in new[] { ("preprocessor.json", true), ("tokenizer.json", false) })
        {
            if (ReadFolderFile(folder, file, MaxJsonBytes) is not { } bytes) continue;
            var root = ReadJson(bytes, folder, file);
            var source = Path.Combine(folder, file);
            var preprocessor = isPreprocessor ? KerasHubPreprocessorConfig.Parse(root, source) : null;
            var tokenizer = preprocessor?.Tokenizer ?? KerasHubTokenizerConfig.Parse(root, source);
            return Assemble(tokenizer, preprocessor, name => ReadFolderFile(folder, $"assets/tokenizer/{name}", MaxAssetBytes), Path.Combine(folder, "assets/tokenizer/"));
        }
        return null;
    }

    /// <summary>The tokenizer of an unzipped <c>.keras</c> folder whose <c>config.json</c> is <paramref name="root"/>.</summary>
    internal static KerasHubTokenizerFiles FromFolder(string folder, JsonObject root) =>
        FromConfig(root, folder, name => ReadFolderFile(folder, name, MaxAssetBytes));

    /// <summary>The tokenizer of an open <c>.keras</c> archive whose <c>config.json</c> is <paramref name="root"/>.</summary>
    internal static KerasHubTokenizerFiles FromArchive(ZipArchive zip, string path, JsonObject root) =>
        FromConfig(root, path, name => ZipEntry(zip, path, name, MaxAssetBytes));

    /// <summary>A file of <paramref name="folder"/> (resolved inside it), or null when absent.</summary>
    static byte[]? ReadFolderFile(string folder, string name, long limit)
    {
        var file = ModelFolder.Resolve(folder, name, folder);
        if (!File.Exists(file)) return null;
        if (new FileInfo(file).Length > limit) throw new ModelFileException(folder, name, $"is over {limit >> 20} MiB; refusing to read it");
        return File.ReadAllBytes(file);
    }

    /// <summary>The tokenizer of a <c>.keras</c> <c>config.json</c>: the root object itself, a preprocessor's, or a task's preprocessor's.</summary>
    static KerasHubTokenizerFiles FromConfig(JsonObject root, string path, Func<string, byte[]?> readEntry)
    {
        var source = $"{path}!config.json";
        var className = KerasConfigReader.Text(root["class_name"]) ?? throw new ModelFileException(path, "config.json", "has no class_name string");
        var config = root["config"] as JsonObject;
        if (config?["preprocessor"] is JsonObject taskPreprocessor)
            return Preprocessed(KerasHubPreprocessorConfig.Parse(taskPreprocessor, source), "assets/preprocessor/tokenizer/");
        if (config?["tokenizer"] is JsonObject)
            return Preprocessed(KerasHubPreprocessorConfig.Parse(root, source), "assets/tokenizer/");
        if (config is not null && config.ContainsKey("preprocessor"))
            throw new ModelFileException(path, "config.json", $"the {className} was saved without a preprocessor (config.preprocessor is null), so it has no tokenizer; give it token ids");
        return Assemble(KerasHubTokenizerConfig.Parse(root, source), null, name => readEntry($"assets/{name}"), $"{path}!assets/");

        KerasHubTokenizerFiles Preprocessed(KerasHubPreprocessorConfig preprocessor, string assets) =>
            Assemble(preprocessor.Tokenizer, preprocessor, name => readEntry(assets + name), $"{path}!{assets}");
    }

    static KerasHubTokenizerFiles Assemble(KerasHubTokenizerConfig tokenizer, KerasHubPreprocessorConfig? preprocessor, Func<string, byte[]?> readAsset, string source) =>
        new(tokenizer, preprocessor, KerasHubTokenizerAssets.Read(tokenizer.Class.Family, readAsset, source));

    static byte[]? ZipEntry(ZipArchive zip, string path, string name, long limit)
    {
        // Entry names are matched exactly: nothing is extracted to disk, so a crafted name cannot reach outside.
        if (zip.GetEntry(name) is not { } entry) return null;
        long archiveSize = new FileInfo(path).Length;
        if (entry.Length > Math.Min(limit, Math.Max(archiveSize, 1) * 200))
            throw new ModelFileException(path, name, $"claims to expand to {entry.Length:N0} bytes from a {archiveSize:N0}-byte archive: refusing a possible zip bomb");
        try
        {
            using var stream = entry.Open();
            var buffer = new MemoryStream((int)entry.Length);
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, name, $"corrupt zip entry: {e.Message}", e); }
    }

    static JsonObject ReadJson(byte[]? bytes, string path, string name)
    {
        if (bytes is null) throw new ModelFileException(path, name, "is missing: not a .keras archive");
        try
        {
            return KerasConfigReader.ParseJson(Encoding.UTF8.GetString(bytes)) as JsonObject
                ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e) { throw new ModelFileException(path, name, $"malformed JSON: {e.Message}", e); }
    }
}
