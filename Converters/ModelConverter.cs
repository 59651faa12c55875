using KerasPort.Converters.Hdf5;
using KerasPort.Converters.Keras;
using KerasPort.Converters.KerasPortFormat;
using KerasPort.Converters.Model;

namespace KerasPort.Converters;

/// <summary>The formats <see cref="ModelConverter"/> writes.</summary>
public enum ConversionTarget
{
    /// <summary>KerasPort's own archive (<c>.kerasport</c>): loads fast, with no Keras parsing.</summary>
    TorchSharp,
    /// <summary>A Keras 3 <c>.keras</c> zip.</summary>
    Keras,
    /// <summary>A legacy full-model <c>.h5</c> file (<c>model.save("m.h5")</c>) of the source's Keras generation (see <see cref="LegacyHdf5Writer"/>).</summary>
    LegacyHdf5,
}

/// <summary>Writes a <see cref="ModelDescription"/> to a file of a <see cref="ConversionTarget"/>, atomically.</summary>
public static class ModelConverter
{
    /// <summary>The file extension of <paramref name="target"/>, with its dot.</summary>
    public static string Extension(ConversionTarget target) => target switch
    {
        ConversionTarget.Keras => ".keras",
        ConversionTarget.LegacyHdf5 => ".h5",
        _ => ".kerasport",
    };

    /// <summary>
    /// The default output for <paramref name="input"/>: <c>model.kerasport</c> / <c>model.keras</c> / <c>model.h5</c> next to
    /// it; when that is the input itself (converting a .keras to .keras), <c>model.converted.keras</c>.
    /// </summary>
    public static string DefaultOutput(string input, ConversionTarget target)
    {
        var full = Path.GetFullPath(input);
        var stem = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
        var output = stem + Extension(target);
        return string.Equals(output, full, StringComparison.Ordinal) ? stem + ".converted" + Extension(target) : output;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="output"/> through a temporary file in the same folder that is
    /// renamed into place only when complete, so a failure leaves nothing behind. An existing file is replaced only
    /// with <paramref name="force"/>; <paramref name="input"/> (the source file) never is.
    /// </summary>
    /// <exception cref="ModelFileException">The output exists (without <paramref name="force"/>) or is the input.</exception>
    /// <exception cref="UnsupportedLayerException">A layer cannot be written in the target format.</exception>
    public static void Write(ModelDescription model, ConversionTarget target, string output, bool force, params string[] input)
    {
        var full = Path.GetFullPath(output);
        if (input.Any(i => string.Equals(Path.GetFullPath(i), full, StringComparison.Ordinal)))
            throw new ModelFileException(output, null, "is the model being converted; choose another output");
        if (File.Exists(full) && !force)
            throw new ModelFileException(output, null, "already exists; pass --force to overwrite it");
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew))
            {
                switch (target)
                {
                    case ConversionTarget.Keras: KerasArchiveWriter.Write(model, stream); break;
                    case ConversionTarget.LegacyHdf5: LegacyHdf5Writer.WriteModel(model, stream); break;
                    default: KerasPortArchive.Write(model, stream); break;
                }
            }
            File.Move(temporary, full, overwrite: force);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
