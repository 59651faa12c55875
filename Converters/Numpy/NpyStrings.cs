using System.Globalization;
using System.Text;

namespace KerasPort.Converters.Numpy;

/// <summary>
/// NumPy's fixed-width string dtypes in <c>.npy</c> files: <c>&lt;U</c><i>n</i> holds <i>n</i> UTF-32 code points per
/// element and <c>|S</c><i>n</i> <i>n</i> bytes (read as UTF-8, as TensorFlow reads <c>tf.string</c>). Both are padded
/// with NULs, which NumPy strips when it reads an element, and so does this.
/// </summary>
internal static class NpyStrings
{
    const int ChunkBytes = 1 << 20;

    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>How a string descr (<c>&lt;U7</c>, <c>|S12</c>) stores its elements.</summary>
    public readonly record struct Layout(bool Utf32, bool BigEndian, int ItemSize);

    /// <summary>The layout of a string descr, or null for any other dtype.</summary>
    public static Layout? ParseDescr(string descr)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '=') || descr[1] is not ('U' or 'S' or 'a')) return null;
        if (!int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width > (1 << 26)) return null;
        bool bigEndian = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
        return descr[1] == 'U' ? new Layout(true, bigEndian, width * 4) : new Layout(false, false, width);
    }

    /// <summary>Reads <paramref name="count"/> elements; when the stream length was not <paramref name="known"/>, grows the buffer as data arrives.</summary>
    public static string[] Read(Stream s, int count, Layout layout, bool known, Func<string, ModelFileException> error)
    {
        long total = (long)count * layout.ItemSize;
        var bytes = new byte[known ? total : Math.Min(total, ChunkBytes)];
        long filled = 0;
        while (filled < total)
        {
            if (filled == bytes.Length) Array.Resize(ref bytes, (int)Math.Min(total, 2L * bytes.Length));
            int want = (int)Math.Min(ChunkBytes, bytes.Length - filled);
            int got = s.ReadAtLeast(bytes.AsSpan((int)filled, want), want, throwOnEndOfStream: false);
            if (got < want) throw error($"truncated .npy data: {total} bytes expected, {filled + got} present");
            filled += got;
        }
        Encoding encoding = layout.Utf32 ? new UTF32Encoding(layout.BigEndian, false, true) : StrictUtf8;
        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            var item = bytes.AsSpan(i * layout.ItemSize, layout.ItemSize);
            try { result[i] = encoding.GetString(layout.Utf32 ? TrimUtf32(item) : item.TrimEnd((byte)0)); }
            catch (DecoderFallbackException) { throw error($"string element {i} is not valid {(layout.Utf32 ? "UTF-32" : "UTF-8")}"); }
        }
        return result;
    }

    /// <summary>The bytes of <paramref name="item"/> without its trailing NUL code points.</summary>
    static ReadOnlySpan<byte> TrimUtf32(ReadOnlySpan<byte> item)
    {
        int end = item.Length;
        while (end >= 4 && item.Slice(end - 4, 4).IndexOfAnyExcept((byte)0) < 0) end -= 4;
        return item[..end];
    }

    /// <summary>The descr and data NumPy writes for <paramref name="texts"/>: <c>&lt;U</c><i>n</i> with <i>n</i> the longest element in code points (at least 1).</summary>
    public static (string Descr, byte[] Data) Encode(string[] texts)
    {
        int width = Math.Max(1, texts.Length == 0 ? 1 : texts.Max(t => t.EnumerateRunes().Count()));
        var data = new byte[(long)texts.Length * width * 4];
        var encoding = new UTF32Encoding(false, false, true);
        for (int i = 0; i < texts.Length; i++)
            encoding.GetBytes(texts[i], data.AsSpan(i * width * 4, width * 4));
        return ($"<U{width}", data);
    }
}
