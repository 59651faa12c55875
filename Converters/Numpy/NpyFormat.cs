using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KerasPort.Converters.Numpy;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) holding float32, float64, int32,
/// int64, bool or string arrays (<c>&lt;U</c> UTF-32 text and <c>|S</c> byte strings, read as UTF-8). The header is parsed as a plain literal, so object arrays are rejected, never unpickled.
/// </summary>
public static class NpyFormat
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy pads the header so the data starts on a 64-byte boundary.
    const int Align = 64;

    // numpy leaves spaces after the dict so the first axis can grow in place to this many digits.
    const int GrowthAxisMaxDigits = 21;

    // Far above any real header; stops a corrupt length field from allocating gigabytes.
    const int MaxHeaderLength = 1 << 20;

    // Elements per read or write call: keeps byte spans well within int range.
    const int ChunkElements = 1 << 20;

    const string Supported = "supported: float32, float64, int32, int64, int8, bool, <U and |S strings";

    /// <summary>True if the file at <paramref name="path"/> starts with the <c>.npy</c> magic bytes.</summary>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    public static bool IsNpy(string path)
    {
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        using var stream = File.OpenRead(path);
        var head = new byte[Magic.Length];
        return stream.Read(head, 0, head.Length) == head.Length && head.AsSpan().SequenceEqual(Magic);
    }

    /// <summary>Reads the <c>.npy</c> file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is unreadable, malformed, truncated or of an unsupported dtype.</exception>
    public static NdArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelFileNotFoundException(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, null, $"cannot read: {e.Message}", e);
        }
    }

    /// <summary>Reads one <c>.npy</c> array from <paramref name="s"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="ModelFileException">The data is malformed, truncated or of an unsupported dtype.</exception>
    public static NdArray Read(Stream s, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Read(s, sourceName, null, s.CanSeek ? s.Length - s.Position : null);
    }

    /// <summary>
    /// Reads one array; errors name <paramref name="file"/> and <paramref name="part"/>. <paramref name="length"/>,
    /// the bytes left in <paramref name="s"/> if known, lets a header that claims more data than exists fail before allocating.
    /// </summary>
    internal static NdArray Read(Stream s, string file, string? part, long? length)
    {
        ModelFileException Error(string problem) => new(file, part, problem);

        Span<byte> prefix = stackalloc byte[Magic.Length + 2];
        int got = s.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        int magicSeen = Math.Min(got, Magic.Length);
        if (!prefix[..magicSeen].SequenceEqual(Magic.AsSpan(0, magicSeen))) throw Error("not a .npy file (bad magic)");
        if (got < prefix.Length) throw Error("truncated .npy header");
        int major = prefix[^2], minor = prefix[^1];
        if (major is < 1 or > 3 || minor != 0) throw Error($"unsupported .npy format version {major}.{minor}");

        Span<byte> lengthField = stackalloc byte[major == 1 ? 2 : 4];
        if (s.ReadAtLeast(lengthField, lengthField.Length, throwOnEndOfStream: false) < lengthField.Length)
            throw Error("truncated .npy header");
        uint headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderLength) throw Error($"implausible .npy header length {headerLength}");
        var headerBytes = new byte[headerLength];
        if (s.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
            throw Error("truncated .npy header");

        string header;
        try
        {
            // Version 3.0 exists only to allow UTF-8 in the header; earlier versions are Latin-1.
            header = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error("malformed .npy header: not valid UTF-8");
        }

        var (type, bigEndian, fortranOrder, shape, itemSize, text) = ParseHeader(header, Error);
        long count;
        try
        {
            count = shape.Aggregate(1L, (a, b) => checked(a * b));
        }
        catch (OverflowException)
        {
            count = long.MaxValue;
        }
        if (count > Array.MaxLength) throw Error($"shape {ShapeText(shape)} has too many elements");
        long dataLength = count * itemSize;
        long? available = length - (prefix.Length + lengthField.Length + headerLength);
        if (dataLength > available)
            throw Error($"truncated .npy data: shape {ShapeText(shape)} needs {dataLength} bytes, {available} present");

        bool known = available is not null;
        if (type == DType.String)
        {
            var texts = NpyStrings.Read(s, (int)count, text!.Value, known, Error);
            return new NdArray(DType.String, shape, fortranOrder && shape.Length > 1 ? FromFortranOrder(texts, shape) : texts);
        }
        Array data = type switch
        {
            DType.Float32 => ReadElements<float>(s, (int)count, known, Error),
            DType.Float64 => ReadElements<double>(s, (int)count, known, Error),
            DType.Int32 => ReadElements<int>(s, (int)count, known, Error),
            DType.Int64 => ReadElements<long>(s, (int)count, known, Error),
            DType.Int8 => ReadElements<sbyte>(s, (int)count, known, Error),
            _ => ReadBools(s, (int)count, known, Error),
        };
        if (bigEndian == BitConverter.IsLittleEndian) ReverseEndianness(data);
        // A Fortran-order array of rank 0 or 1 is laid out exactly as in C order.
        if (fortranOrder && shape.Length > 1) data = FromFortranOrder(data, shape);
        return new NdArray(type, shape, data);
    }

    /// <summary>Writes <paramref name="a"/> to <paramref name="s"/> as numpy would: little-endian, C order, version 1.0 unless the header needs 2.0.</summary>
    public static void Write(Stream s, NdArray a)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(a);
        if (a.Data is string[] texts)
        {
            var (descr, encoded) = NpyStrings.Encode(texts);
            s.Write(Header(a, descr));
            s.Write(encoded);
            return;
        }
        s.Write(Header(a, Descr(a.DType)));
        switch (a.Data)
        {
            case float[] f: WriteElements(s, f); break;
            case double[] d: WriteElements(s, d); break;
            case int[] i: WriteElements(s, i); break;
            case long[] l: WriteElements(s, l); break;
            case bool[] b: WriteElements(s, b); break;
            case sbyte[] i8: WriteElements(s, i8); break;
            default: throw new ArgumentException($"array data must be one-dimensional, not {a.Data.GetType().Name}", nameof(a));
        }
    }

    /// <summary>Writes <paramref name="a"/> to a new <c>.npy</c> file at <paramref name="path"/>, replacing any existing file.</summary>
    public static void Write(string path, NdArray a)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.Create(path);
        Write(stream, a);
    }

    static (DType Type, bool BigEndian, bool FortranOrder, long[] Shape, int ItemSize, NpyStrings.Layout? Text) ParseHeader(string header, Func<string, ModelFileException> error)
    {
        Dictionary<string, (object? Value, string Raw)> fields;
        try
        {
            fields = HeaderParser.Parse(header);
        }
        catch (FormatException e)
        {
            string shown = header.Length > 200 ? header[..200] + "..." : header;
            throw error($"malformed .npy header: {e.Message} in \"{shown.TrimEnd()}\"");
        }

        foreach (string key in new[] { "descr", "fortran_order", "shape" })
            if (!fields.ContainsKey(key)) throw error($"malformed .npy header: no '{key}'");
        if (fields.Keys.FirstOrDefault(k => k is not ("descr" or "fortran_order" or "shape")) is { } extra)
            throw error($"malformed .npy header: unexpected key '{extra}'");

        var descr = fields["descr"];
        if ((descr.Value is string text ? ParseDescr(text) : null) is not (var type, var bigEndian, var itemSize))
        {
            string shown = descr.Value is string s ? $"'{s}'" : descr.Raw;
            throw error($"unsupported .npy dtype {shown} ({Supported})");
        }
        if (fields["fortran_order"].Value is not bool fortranOrder)
            throw error($"malformed .npy header: fortran_order is {fields["fortran_order"].Raw}, not True or False");
        if (fields["shape"].Value is not object?[] dims || dims.Any(d => d is not long n || n < 0))
            throw error($"malformed .npy header: shape {fields["shape"].Raw} is not a tuple of non-negative integers");
        return (type, bigEndian, fortranOrder, dims.Select(d => (long)d!).ToArray(), itemSize, descr.Value is string d ? NpyStrings.ParseDescr(d) : null);
    }

    static (DType Type, bool BigEndian, int ItemSize)? ParseDescr(string descr)
    {
        if (NpyStrings.ParseDescr(descr) is { } text) return (DType.String, text.BigEndian, text.ItemSize);
        if (descr.Length != 3) return null;
        // '|' (not applicable) and '=' (native) both mean the byte order of the machine that wrote the file.
        bool? bigEndian = descr[0] switch
        {
            '<' => false,
            '>' => true,
            '|' or '=' => !BitConverter.IsLittleEndian,
            _ => null,
        };
        DType? type = descr[1..] switch
        {
            "f4" => DType.Float32,
            "f8" => DType.Float64,
            "i4" => DType.Int32,
            "i8" => DType.Int64,
            "b1" => DType.Bool,
            "i1" => DType.Int8,
            _ => null,
        };
        return bigEndian is null || type is null ? null : (type.Value, bigEndian.Value, SizeOf(type.Value));
    }

    static int SizeOf(DType type) => type switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        _ => 1,
    };

    static string Descr(DType type) => type switch
    {
        DType.Float32 => "<f4",
        DType.Float64 => "<f8",
        DType.Int32 => "<i4",
        DType.Int64 => "<i8",
        DType.Int8 => "|i1",
        _ => "|b1",
    };

    static string ShapeText(long[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");

    static byte[] Header(NdArray a, string descr)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {a.ShapeText}, }}";
        if (a.Shape.Length > 0) dict += new string(' ', GrowthAxisMaxDigits - a.Shape[0].ToString(CultureInfo.InvariantCulture).Length);
        byte[] text = Encoding.Latin1.GetBytes(dict);
        // Text plus the final '\n'; numpy tries version 1.0 first and moves to 2.0 when the length needs 32 bits.
        int headerLength = text.Length + 1;
        int major = 1, lengthSize = 2;
        int padding = Align - (Magic.Length + 2 + lengthSize + headerLength) % Align;
        if (headerLength + padding > ushort.MaxValue)
        {
            major = 2;
            lengthSize = 4;
            padding = Align - (Magic.Length + 2 + lengthSize + headerLength) % Align;
        }

        var bytes = new byte[Magic.Length + 2 + lengthSize + headerLength + padding];
        Magic.CopyTo(bytes, 0);
        bytes[Magic.Length] = (byte)major;
        var lengthField = bytes.AsSpan(Magic.Length + 2, lengthSize);
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(lengthField, (ushort)(headerLength + padding));
        else BinaryPrimitives.WriteUInt32LittleEndian(lengthField, (uint)(headerLength + padding));
        int at = Magic.Length + 2 + lengthSize;
        text.CopyTo(bytes, at);
        bytes.AsSpan(at + text.Length, padding).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>Reads <paramref name="count"/> elements; when the stream length was not <paramref name="known"/>, grows the array as data arrives so a lying header cannot force a huge allocation.</summary>
    static T[] ReadElements<T>(Stream s, int count, bool known, Func<string, ModelFileException> error) where T : unmanaged
    {
        var items = new T[known ? count : Math.Min(count, ChunkElements)];
        int filled = 0;
        while (filled < count)
        {
            if (filled == items.Length) Array.Resize(ref items, (int)Math.Min(count, 2L * items.Length));
            var bytes = MemoryMarshal.AsBytes(items.AsSpan(filled, Math.Min(ChunkElements, items.Length - filled)));
            int got = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                long size = Unsafe.SizeOf<T>();
                throw error($"truncated .npy data: {count * size} bytes expected, {filled * size + got} present");
            }
            filled += bytes.Length / Unsafe.SizeOf<T>();
        }
        return items;
    }

    static bool[] ReadBools(Stream s, int count, bool known, Func<string, ModelFileException> error)
    {
        var items = ReadElements<bool>(s, count, known, error);
        // numpy treats any non-zero byte as True; .NET needs bools to be exactly 0 or 1.
        foreach (ref byte b in MemoryMarshal.AsBytes(items.AsSpan()))
            if (b > 1) b = 1;
        return items;
    }

    static void WriteElements<T>(Stream s, T[] items) where T : unmanaged
    {
        for (int i = 0; i < items.Length; i += ChunkElements)
        {
            var chunk = items.AsSpan(i, Math.Min(ChunkElements, items.Length - i));
            if (BitConverter.IsLittleEndian)
            {
                s.Write(MemoryMarshal.AsBytes(chunk));
            }
            else
            {
                var copy = chunk.ToArray();
                ReverseEndianness(copy);
                s.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
            }
        }
    }

    static void ReverseEndianness(Array data)
    {
        switch (data)
        {
            case float[] f:
                var fi = MemoryMarshal.Cast<float, int>(f.AsSpan());
                BinaryPrimitives.ReverseEndianness(fi, fi);
                break;
            case double[] d:
                var dl = MemoryMarshal.Cast<double, long>(d.AsSpan());
                BinaryPrimitives.ReverseEndianness(dl, dl);
                break;
            case int[] i:
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case long[] l:
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }

    static Array FromFortranOrder(Array data, long[] shape) => data switch
    {
        float[] f => FromFortranOrder(f, shape),
        double[] d => FromFortranOrder(d, shape),
        int[] i => FromFortranOrder(i, shape),
        long[] l => FromFortranOrder(l, shape),
        bool[] b => FromFortranOrder(b, shape),
        sbyte[] i8 => FromFortranOrder(i8, shape),
        string[] t => FromFortranOrder(t, shape),
        _ => throw new ArgumentException($"unexpected element array {data.GetType().Name}", nameof(data)),
    };

    static T[] FromFortranOrder<T>(T[] source, long[] shape)
    {
        // In Fortran order the first axis varies fastest, so its stride is 1.
        var strides = new long[shape.Length];
        long stride = 1;
        for (int k = 0; k < shape.Length; k++)
        {
            strides[k] = stride;
            stride *= shape[k];
        }

        var result = new T[source.Length];
        var index = new long[shape.Length];
        long offset = 0;
        for (int r = 0; r < result.Length; r++)
        {
            result[r] = source[offset];
            // Step the row-major odometer (last axis fastest), tracking the matching Fortran offset.
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                offset += strides[k];
                if (++index[k] < shape[k]) break;
                offset -= strides[k] * shape[k];
                index[k] = 0;
            }
        }
        return result;
    }

    /// <summary>
    /// Parses the Python dict literal of a .npy header. Only literals are accepted (strings, integers, True, False,
    /// None, tuples, lists, dicts), so nothing in the file is ever evaluated. Throws <see cref="FormatException"/>.
    /// </summary>
    sealed class HeaderParser
    {
        // Real headers nest at most a few levels; the cap keeps hostile input from exhausting the stack.
        const int MaxDepth = 16;

        readonly string text;
        int pos;
        int depth;

        HeaderParser(string text) => this.text = text;

        public static Dictionary<string, (object? Value, string Raw)> Parse(string text)
        {
            var parser = new HeaderParser(text);
            parser.SkipSpace();
            if (parser.Peek() != '{') throw new FormatException("expected a dict");
            var fields = parser.ParseNested(parser.ParseDict);
            parser.SkipSpace();
            if (parser.pos < text.Length) throw new FormatException($"unexpected text at offset {parser.pos}");
            return fields;
        }

        object? ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c == '{') return ParseNested(ParseDict);
            if (c == '(') return ParseNested(() => ParseSequence(')'));
            if (c == '[') return ParseNested(() => ParseSequence(']'));
            if (c is '\'' or '"') return ParseString();
            if (c == '-' || char.IsAsciiDigit(c)) return ParseInteger();
            if (char.IsAsciiLetter(c))
            {
                int start = pos;
                while (pos < text.Length && char.IsAsciiLetter(text[pos])) pos++;
                return text[start..pos] switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    var word => throw new FormatException($"unexpected name '{word}'"),
                };
            }
            throw new FormatException($"unexpected '{c}' at offset {pos}");
        }

        T ParseNested<T>(Func<T> parse)
        {
            if (++depth > MaxDepth) throw new FormatException("nesting too deep");
            var result = parse();
            depth--;
            return result;
        }

        Dictionary<string, (object? Value, string Raw)> ParseDict()
        {
            pos++;
            var fields = new Dictionary<string, (object? Value, string Raw)>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (Peek() == '}')
                {
                    pos++;
                    return fields;
                }
                if (ParseValue() is not string key) throw new FormatException("dict key is not a string");
                SkipSpace();
                if (Peek() != ':') throw new FormatException($"expected ':' at offset {pos}");
                pos++;
                SkipSpace();
                int start = pos;
                var value = ParseValue();
                if (!fields.TryAdd(key, (value, text[start..pos]))) throw new FormatException($"duplicate key '{key}'");
                SkipSeparator('}');
            }
        }

        object? ParseSequence(char close)
        {
            pos++;
            var items = new List<object?>();
            bool trailingComma = false;
            while (true)
            {
                SkipSpace();
                if (Peek() == close)
                {
                    pos++;
                    break;
                }
                items.Add(ParseValue());
                trailingComma = SkipSeparator(close);
            }
            // As in Python, "(x)" is just x; only "(x,)" is a one-element tuple.
            if (close == ')') return items.Count == 1 && !trailingComma ? items[0] : items.ToArray();
            return items;
        }

        /// <summary>Skips a ',' after an item and reports whether there was one; otherwise <paramref name="close"/> must follow.</summary>
        bool SkipSeparator(char close)
        {
            SkipSpace();
            if (Peek() == ',')
            {
                pos++;
                return true;
            }
            if (Peek() != close) throw new FormatException($"expected ',' or '{close}' at offset {pos}");
            return false;
        }

        string ParseString()
        {
            char quote = text[pos++];
            var value = new StringBuilder();
            while (Peek() != quote)
            {
                // Escapes never occur in the headers numpy writes; taking the next character literally suffices.
                if (text[pos] == '\\') pos++;
                value.Append(Peek());
                pos++;
            }
            pos++;
            return value.ToString();
        }

        long ParseInteger()
        {
            int start = pos;
            if (text[pos] == '-') pos++;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
            if (!long.TryParse(text.AsSpan(start, pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw new FormatException($"bad integer '{text[start..pos]}'");
            // Python 2 wrote long integers with an 'L' suffix, and numpy still accepts such files.
            if (pos < text.Length && text[pos] is 'L' or 'l') pos++;
            return value;
        }

        char Peek() => pos < text.Length ? text[pos] : throw new FormatException("unexpected end of header");

        void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }
    }
}
