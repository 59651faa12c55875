using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KerasPort.Converters.Numpy;

namespace KerasPort.Converters.KerasPortFormat;

/// <summary>
/// KerasPort's own model file (<c>.kerasport</c>): a zip holding <c>description.json</c> (a direct serialization of
/// the <see cref="ModelDescription"/>, see <see cref="ModelDescriptionJson"/>) and <c>weights.npz</c> (keyed
/// <c>&lt;layer&gt;/&lt;index&gt;</c>). It loads without any Keras parsing or format conversion.
/// </summary>
public static class KerasPortArchive
{
    /// <summary>The zip entry that marks and describes the model.</summary>
    public const string DescriptionEntry = "description.json";

    /// <summary>The zip entry holding the weights.</summary>
    public const string WeightsEntry = "weights.npz";

    const string FormatName = "kerasport";
    const int FormatVersion = 1;

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(ModelDescription model, Stream stream)
    {
        var weights = new List<KeyValuePair<string, NdArray>>();
        var description = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["model"] = ModelDescriptionJson.Write(model, (key, value) => weights.Add(KeyValuePair.Create(key, value))),
        };
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var writer = new StreamWriter(zip.CreateEntry(DescriptionEntry, CompressionLevel.Optimal).Open(), new UTF8Encoding(false)))
            writer.Write(description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        // Stored, not deflated: loading is a plain copy.
        using var npz = zip.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open();
        using var buffer = new MemoryStream();
        NpzArchive.Write(buffer, weights, compressed: false);
        buffer.Position = 0;
        buffer.CopyTo(npz);
    }

    /// <summary>True if the zip at <paramref name="path"/> is a KerasPort archive (it has <c>description.json</c>).</summary>
    public static bool IsKerasPortArchive(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry(DescriptionEntry) is not null;
        }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>Reads the archive at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFileException">The archive is corrupt, of an unknown version, or incomplete.</exception>
    public static ModelDescription Read(string path)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new ModelFileException(path, null, $"corrupt zip archive: {e.Message}", e); }
        using (zip)
        {
            var entry = zip.GetEntry(DescriptionEntry) ?? throw new ModelFileException(path, DescriptionEntry, "missing: not a KerasPort archive");
            JsonObject root;
            try
            {
                using var stream = entry.Open();
                root = JsonNode.Parse(stream) as JsonObject ?? throw new ModelFileException(path, DescriptionEntry, "not a JSON object");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException) { throw new ModelFileException(path, DescriptionEntry, $"unreadable: {e.Message}", e); }
            if ((string?)root["format"] != FormatName || root["version"] is not JsonValue v || (int)v > FormatVersion)
                throw new ModelFileException(path, DescriptionEntry, $"not a KerasPort archive of version {FormatVersion} or older (format '{root["format"]}', version {root["version"]})");
            IReadOnlyDictionary<string, NdArray> weights = new Dictionary<string, NdArray>();
            if (zip.GetEntry(WeightsEntry) is { } weightsEntry)
            {
                using var buffer = new MemoryStream();
                try { using (var stream = weightsEntry.Open()) stream.CopyTo(buffer); }
                catch (InvalidDataException e) { throw new ModelFileException(path, WeightsEntry, $"corrupt zip entry: {e.Message}", e); }
                buffer.Position = 0;
                weights = NpzArchive.Read(buffer, $"{path}!{WeightsEntry}");
            }
            return ModelDescriptionJson.Read(root["model"] as JsonObject ?? throw new ModelFileException(path, DescriptionEntry, "has no 'model'"),
                key => weights.GetValueOrDefault(key), path);
        }
    }
}
