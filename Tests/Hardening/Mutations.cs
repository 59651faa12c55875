using System.IO.Compression;
using System.Text.Json.Nodes;

namespace KerasPort.Tests.Hardening;

/// <summary>Seeded, reproducible mutations of real files: truncations, bit flips, hostile values in JSON configs.</summary>
public static class Mutations
{
    /// <summary>Multiplies the number of random mutants per file (env <c>KERASPORT_HOSTILE_SCALE</c>, default 1) for long runs.</summary>
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("KERASPORT_HOSTILE_SCALE"), out var s) && s > 0 ? s : 1;

    /// <summary>Prefixes of <paramref name="bytes"/>: every length below 24 (headers and magic numbers) and 40 spread over the rest.</summary>
    public static IEnumerable<(string Label, byte[] Bytes)> Truncations(byte[] bytes)
    {
        var lengths = Enumerable.Range(0, Math.Min(24, bytes.Length))
            .Concat(Enumerable.Range(1, 40).Select(i => (int)((long)bytes.Length * i / 41)))
            .Append(bytes.Length - 1)
            .Where(n => n >= 0 && n < bytes.Length)
            .Distinct();
        foreach (var length in lengths) yield return ($"truncated to {length} bytes", bytes[..length]);
    }

    /// <summary><paramref name="count"/> mutants with 1 to 4 random bits flipped, seeded by <paramref name="seed"/>.</summary>
    public static IEnumerable<(string Label, byte[] Bytes)> BitFlips(byte[] bytes, int seed, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var random = new Random(seed * 7919 + i);
            var copy = (byte[])bytes.Clone();
            var flips = new List<string>();
            for (int k = random.Next(1, 5); k > 0; k--)
            {
                int at = random.Next(copy.Length), bit = random.Next(8);
                copy[at] ^= (byte)(1 << bit);
                flips.Add($"{at}.{bit}");
            }
            yield return ($"bit flips (seed {seed}, #{i}) at {string.Join(",", flips)}", copy);
        }
    }

    /// <summary>Values that break readers: extremes of each integer width at random offsets (sizes, counts, addresses).</summary>
    public static IEnumerable<(string Label, byte[] Bytes)> ByteOverwrites(byte[] bytes, int seed, int count)
    {
        byte[][] patterns = [[0xFF], [0x00], [0x7F], [0x80], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0, 0, 1, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]];
        for (int i = 0; i < count; i++)
        {
            var random = new Random(seed * 104729 + i);
            var copy = (byte[])bytes.Clone();
            var pattern = patterns[random.Next(patterns.Length)];
            int at = random.Next(Math.Max(1, copy.Length - pattern.Length));
            pattern.AsSpan(0, Math.Min(pattern.Length, copy.Length - at)).CopyTo(copy.AsSpan(at));
            yield return ($"overwrite (seed {seed}, #{i}) {Convert.ToHexString(pattern)} at {at}", copy);
        }
    }

    /// <summary>Hostile replacements for a JSON leaf: wrong types, absurd, negative and zero sizes, non-finite numbers.</summary>
    public static readonly JsonNode?[] HostileValues =
    [
        null, JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1L << 40), JsonValue.Create(long.MinValue),
        JsonValue.Create(1e308), JsonValue.Create("x"), JsonValue.Create(true), new JsonArray(), new JsonObject(),
        new JsonArray(JsonValue.Create(1L << 40), JsonValue.Create(1L << 40)), JsonValue.Create("NaN"),
    ];

    /// <summary>Every leaf path of <paramref name="node"/> (object keys and array indexes), depth first.</summary>
    public static List<List<object>> LeafPaths(JsonNode? node)
    {
        var paths = new List<List<object>>();
        void Walk(JsonNode? n, List<object> path)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList()) Walk(child, [.. path, key]);
                    if (o.Count == 0) paths.Add(path);
                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++) Walk(a[i], [.. path, i]);
                    if (a.Count == 0) paths.Add(path);
                    break;
                default:
                    paths.Add(path);
                    break;
            }
        }
        Walk(node, []);
        return paths;
    }

    /// <summary>A copy of <paramref name="root"/> with the node at <paramref name="path"/> replaced by <paramref name="value"/>.</summary>
    public static JsonNode Replace(JsonNode root, IReadOnlyList<object> path, JsonNode? value)
    {
        var copy = root.DeepClone();
        if (path.Count == 0) return value?.DeepClone() ?? JsonValue.Create(0)!;
        var parent = copy;
        foreach (var step in path.Take(path.Count - 1)) parent = step is string key ? parent[key]! : parent[(int)step]!;
        if (path[^1] is string last) parent[last] = value?.DeepClone();
        else parent[(int)path[^1]] = value?.DeepClone();
        return copy;
    }

    /// <summary>Text of <paramref name="depth"/> nested JSON arrays.</summary>
    public static string DeepJson(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>Writes a zip with the given entries (name, bytes), in order; names are written verbatim.</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(bytes);
            }
        return buffer.ToArray();
    }

    /// <summary>The entries of a zip, in order.</summary>
    public static List<(string Name, byte[] Bytes)> Unzip(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    /// <summary>
    /// Rewrites the declared uncompressed size of every entry (local headers and central directory) to
    /// <paramref name="size"/>: a zip whose entries lie about how much they expand to.
    /// </summary>
    public static byte[] LieAboutSizes(byte[] zipBytes, uint size)
    {
        var copy = (byte[])zipBytes.Clone();
        for (int i = 0; i + 30 <= copy.Length; i++)
        {
            if (copy[i] != 'P' || copy[i + 1] != 'K') continue;
            if (copy[i + 2] == 3 && copy[i + 3] == 4) BitConverter.TryWriteBytes(copy.AsSpan(i + 22, 4), size);
            else if (copy[i + 2] == 1 && copy[i + 3] == 2 && i + 46 <= copy.Length) BitConverter.TryWriteBytes(copy.AsSpan(i + 24, 4), size);
        }
        return copy;
    }
}
