using KerasPort.Converters.Keras;
using KerasPort.Converters.KerasPortFormat;
using KerasPort.Converters.Model;
using KerasPort.Converters.Onnx;

namespace KerasPort.Converters;

/// <summary>The formats <see cref="ModelConverter"/> writes.</summary>
public enum ConversionTarget
{
    /// <summary>KerasPort's own archive (<c>.kerasport</c>): loads fast, with no Keras parsing.</summary>
    TorchSharp,
    /// <summary>A Keras 3 <c>.keras</c> zip.</summary>
    Keras,
    /// <summary>An ONNX model (<c>.onnx</c>, opset 17) that computes what Keras computes.</summary>
    Onnx,
}

/// <summary>Writes a <see cref="ModelDescription"/> to a file of a <see cref="ConversionTarget"/>, atomically.</summary>
public static class ModelConverter
{
    /// <summary>The file extension of <paramref name="target"/>, with its dot.</summary>
    public static string Extension(ConversionTarget target) => target switch
    {
        ConversionTarget.Keras => ".keras",
        ConversionTarget.Onnx => ".onnx",
        _ => ".kerasport",
    };

    /// <summary>
    /// The default output for <paramref name="input"/>: <c>model.kerasport</c> / <c>model.keras</c> next to it; when that
    /// is the input itself (converting a .keras to .keras), <c>model.converted.keras</c>.
    /// </summary>
    public static string DefaultOutput(string input, ConversionTarget target)
    {
        // A SavedModel directory named with a trailing slash ("model/") converts to "model.kerasport" beside it.
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
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
                // A Keras 1/2 training_config names optimizers and losses the Keras 2 way (lr, decay, ...), which Keras 3
                // refuses while compiling a loaded .keras; an upgraded file is written uncompiled, like Keras's own upgrade.
                if (target == ConversionTarget.Keras) KerasArchiveWriter.Write(model.KerasMajorVersion < 3 ? model with { CompileConfig = null, OptimizerState = null } : model, stream);
                else if (target == ConversionTarget.Onnx) OnnxModelWriter.Write(model, stream);
                else KerasPortArchive.Write(model, stream);
            }
            File.Move(temporary, full, overwrite: force);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
