using KerasPort.Converters.Hdf5;

namespace KerasPort.Runtime.Training;

/// <summary>
/// The writers <see cref="KerasModel.Save"/> and <see cref="KerasModel.SaveWeights"/> use, chosen by the file name's
/// ending (the longest registered one that matches): <c>.keras</c> (Keras 3 archive with compile config and optimizer
/// state), <c>.weights.h5</c> (Keras 3 weights file) and <c>.h5</c> (legacy full-model file with its
/// <c>training_config</c>) are built in. Register more with <see cref="Register"/>. Files are written to a temporary name beside the target and renamed when complete.
/// </summary>
public static class ModelSavers
{
    static readonly Dictionary<string, Action<ModelDescription, Stream>> writers = new(StringComparer.OrdinalIgnoreCase)
    {
        [".keras"] = KerasArchiveWriter.Write,
        [".weights.h5"] = Keras3WeightsWriter.Write,
        [".h5"] = LegacyHdf5Writer.WriteModel,
    };
    static readonly Lock gate = new();

    /// <summary>Uses <paramref name="writer"/> for files whose name ends in <paramref name="extension"/> (e.g. <c>.h5</c>).</summary>
    public static void Register(string extension, Action<ModelDescription, Stream> writer)
    {
        ArgumentException.ThrowIfNullOrEmpty(extension);
        ArgumentNullException.ThrowIfNull(writer);
        lock (gate) writers[extension] = writer;
    }

    /// <summary>The file-name endings a writer is registered for.</summary>
    public static IReadOnlyList<string> Extensions
    {
        get { lock (gate) return writers.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> with the writer its ending selects.</summary>
    /// <exception cref="KerasPortException">No writer is registered for the path's ending.</exception>
    public static void Save(ModelDescription model, string path)
    {
        Action<ModelDescription, Stream>? writer;
        lock (gate)
            writer = writers.Where(w => path.EndsWith(w.Key, StringComparison.OrdinalIgnoreCase)).OrderByDescending(w => w.Key.Length).Select(w => w.Value).FirstOrDefault();
        if (writer is null)
            throw new KerasPortException($"cannot save '{path}': no writer for its file type (registered: {string.Join(", ", Extensions)}); use a .keras path or register one with ModelSavers.Register");
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew)) writer(model, stream);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
