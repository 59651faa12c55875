using System.IO.Compression;
using System.Text;
using KerasPort.Converters.Hdf5;

namespace KerasPort.Converters.Keras;

/// <summary>Writes a Keras 3 <c>.keras</c> zip: <c>metadata.json</c>, <c>config.json</c> and <c>model.weights.h5</c> (keras/src/saving/saving_lib.py).</summary>
public static class KerasArchiveWriter
{
    /// <summary>The Keras version recorded in <c>metadata.json</c>: the Keras 3 release whose layout this writer follows.</summary>
    public const string KerasVersion = "3.15.1";

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (left open).</summary>
    /// <exception cref="UnsupportedLayerException">A layer cannot be expressed in Keras 3 (see <see cref="KerasConfigWriter"/>, <see cref="Keras3WeightsWriter"/>).</exception>
    public static void Write(ModelDescription model, Stream stream)
    {
        model = LegacyConfigNormalizer.UpgradeClassesToKeras3(model);
        // Build everything first, so an unsupported layer fails before anything is written.
        var config = KerasConfigWriter.Write(model).ToJsonString();
        using var weights = new MemoryStream();
        Keras3WeightsWriter.Write(model, weights);
        var metadata = new JsonObject { ["keras_version"] = KerasVersion, ["date_saved"] = DateTime.UtcNow.ToString("yyyy-MM-dd@HH:mm:ss") }.ToJsonString();
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteText(zip, "metadata.json", metadata);
        WriteText(zip, "config.json", config);
        using var entry = zip.CreateEntry("model.weights.h5", CompressionLevel.NoCompression).Open();
        weights.Position = 0;
        weights.CopyTo(entry);
    }

    static void WriteText(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }
}
