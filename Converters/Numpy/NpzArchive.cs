using System.IO.Compression;

namespace KerasPort.Converters.Numpy;

/// <summary>
/// Reads and writes NumPy <c>.npz</c> archives: zip files whose entries are <c>.npy</c> arrays named
/// <c>key.npy</c>. Keys may contain '/', e.g. <c>out/dense/0</c> is stored as <c>out/dense/0.npy</c>.
/// </summary>
public static class NpzArchive
{
    const string Suffix = ".npy";

    /// <summary>Reads every array in the archive at <paramref name="path"/>, keyed by entry name without <c>.npy</c>, in archive order.</summary>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The archive or one of its entries is unreadable, malformed or of an unsupported dtype.</exception>
    public static IReadOnlyDictionary<string, NdArray> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, null, $"not a valid .npz (zip) archive: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, null, $"cannot read: {e.Message}", e);
        }

        return ReadListed(zip, path);
    }

    /// <summary>Reads every array of the archive in <paramref name="stream"/> (seekable, left open); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFileException">The archive or one of its entries is unreadable, malformed or of an unsupported dtype.</exception>
    public static IReadOnlyDictionary<string, NdArray> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new ModelFileException(source, null, $"not a valid .npz (zip) archive: {e.Message}", e); }
        return ReadListed(zip, source);
    }

    /// <summary>Reads and disposes <paramref name="zip"/>; a corrupt central directory may only show when the entries are listed.</summary>
    static OrderedDictionary<string, NdArray> ReadListed(ZipArchive zip, string path)
    {
        try
        {
            using (zip) return ReadEntries(path, zip);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, null, $"not a valid .npz (zip) archive: {e.Message}", e);
        }
    }

    static OrderedDictionary<string, NdArray> ReadEntries(string path, ZipArchive zip)
    {
        var arrays = new OrderedDictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            // Some zip tools add empty folder entries for keys containing '/'; they hold no array.
            if (entry.FullName.EndsWith('/') && entry.Length == 0) continue;
            if (!entry.FullName.EndsWith(Suffix, StringComparison.Ordinal))
                throw new ModelFileException(path, entry.FullName, "entry is not a .npy array");
            string key = entry.FullName[..^Suffix.Length];
            if (arrays.ContainsKey(key)) throw new ModelFileException(path, entry.FullName, "duplicate entry");
            arrays.Add(key, ReadEntry(path, entry));
        }
        return arrays;
    }

    /// <summary>
    /// Writes <paramref name="arrays"/> to a new archive at <paramref name="path"/> in the given order, replacing any
    /// existing file; entries are deflated when <paramref name="compressed"/> (like <c>numpy.savez_compressed</c>),
    /// otherwise stored (like <c>numpy.savez</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A key is empty or repeated.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> arrays, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Check every key before creating the file, so bad input leaves no half-written archive behind.
        var items = CheckedItems(arrays);
        using var file = File.Create(path);
        WriteEntries(file, items, compressed);
    }

    /// <summary>Writes <paramref name="arrays"/> as an archive into <paramref name="stream"/> (left open), as <see cref="Write(string, IEnumerable{KeyValuePair{string, NdArray}}, bool)"/> does to a file.</summary>
    /// <exception cref="ArgumentException">A key is empty or repeated.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, NdArray>> arrays, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WriteEntries(stream, CheckedItems(arrays), compressed);
    }

    static void WriteEntries(Stream stream, List<KeyValuePair<string, NdArray>> items, bool compressed)
    {
        var level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (key, array) in items)
        {
            using var entry = zip.CreateEntry(key + Suffix, level).Open();
            NpyFormat.Write(entry, array);
        }
    }

    static List<KeyValuePair<string, NdArray>> CheckedItems(IEnumerable<KeyValuePair<string, NdArray>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var items = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, array) in items)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("array keys must not be empty", nameof(arrays));
            if (!seen.Add(key)) throw new ArgumentException($"duplicate array key '{key}'", nameof(arrays));
            if (array is null) throw new ArgumentException($"array '{key}' is null", nameof(arrays));
        }
        return items;
    }

    static NdArray ReadEntry(string path, ZipArchiveEntry entry)
    {
        try
        {
            using var stream = entry.Open();
            return NpyFormat.Read(stream, path, entry.FullName, entry.Length);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Corrupt compressed data, an unsupported compression method or a failing disk.
            throw new ModelFileException(path, entry.FullName, $"cannot read entry: {e.Message}", e);
        }
    }
}
