using System.Buffers.Binary;
using System.Text;

namespace KerasPort.Converters.SavedModel;

/// <summary>
/// Reads TensorFlow's sorted string table (a LevelDB table; tensorflow/core/lib/io/format.cc, block.cc, table.cc),
/// the layout of a checkpoint's <c>variables.index</c>. From the end: a 48-byte footer (the metaindex and index
/// block handles as varint64 offset/size pairs, zero padding to 40 bytes, the 8-byte magic); the index block maps
/// separator keys to the handles of data blocks; each block holds prefix-compressed entries (varint32 shared key
/// bytes, unshared key bytes, value bytes, then the key suffix and the value), an array of uint32 restart offsets
/// and their count, and is followed by a 5-byte trailer (compression type, masked CRC-32C of block and type byte).
/// Every offset and length is checked against the bytes actually there before it is used.
/// </summary>
internal static class SortedTable
{
    /// <summary><c>kTableMagicNumber</c>, stored little-endian as <c>57 fb 80 8b 24 75 47 db</c>.</summary>
    const ulong Magic = 0xdb4775248b80fb57UL;

    /// <summary><c>Footer::kEncodedLength</c>: two block handles of at most 20 bytes each, then the magic.</summary>
    const int FooterLength = 48;

    /// <summary><c>kBlockTrailerSize</c>: the compression type byte and the masked CRC.</summary>
    const int TrailerLength = 5;

    /// <summary>Block type of an uncompressed block; TensorFlow writes bundle indexes uncompressed (tensor_bundle.cc).</summary>
    const byte NoCompression = 0;

    static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Prefix compression lets a few bytes stand for a long key: a hostile block of 4-byte entries that each reuse a
    /// long prefix would expand to gigabytes. The decoded keys of a table may total this many bytes per byte of the
    /// file (real checkpoint keys share prefixes a few times over), plus <see cref="MinKeyBudget"/>.
    /// </summary>
    const long MaxKeyBytesPerTableByte = 64;

    const long MinKeyBudget = 1 << 20;

    /// <summary>The decoded key bytes a table may still produce.</summary>
    sealed class KeyBudget(long bytes)
    {
        public long Bytes { get; set; } = bytes;
    }

    /// <summary>
    /// Every entry of the table in <paramref name="table"/> (the whole file), in key order. Errors name
    /// <paramref name="file"/>; a key that is not valid UTF-8, out of order or repeated is an error too.
    /// </summary>
    public static List<KeyValuePair<string, byte[]>> ReadAll(byte[] table, string file)
    {
        if (table.Length < FooterLength)
            throw new ModelFileException(file, "footer", $"{table.Length} bytes is shorter than a table footer ({FooterLength} bytes): not a checkpoint index, or truncated");
        var footer = table.AsSpan(table.Length - FooterLength);
        if (BinaryPrimitives.ReadUInt64LittleEndian(footer[40..]) != Magic)
            throw new ModelFileException(file, "footer", "bad magic number: not a TensorFlow checkpoint index (sorted string table), or truncated");
        int at = 0;
        ReadHandle(footer, ref at, file, "footer metaindex handle");
        var (indexOffset, indexSize) = ReadHandle(footer, ref at, file, "footer index handle");
        var index = Block(table, indexOffset, indexSize, file, "index block");
        var entries = new List<KeyValuePair<string, byte[]>>();
        byte[]? previous = null;
        var budget = new KeyBudget(MaxKeyBytesPerTableByte * table.Length + MinKeyBudget);
        foreach (var (_, handle) in Entries(index, file, "index block", budget))
        {
            int handleAt = 0;
            var (offset, size) = ReadHandle(handle, ref handleAt, file, "index block entry");
            var part = $"data block at {offset}";
            foreach (var (key, value) in Entries(Block(table, offset, size, file, part), file, part, budget))
            {
                if (previous is not null && previous.AsSpan().SequenceCompareTo(key) >= 0)
                    throw new ModelFileException(file, part, $"key '{Describe(key)}' is not after '{Describe(previous)}': keys must be sorted and unique");
                previous = key;
                string text;
                try { text = StrictUtf8.GetString(key); }
                catch (DecoderFallbackException e) { throw new ModelFileException(file, part, $"key '{Describe(key)}' is not UTF-8 text", e); }
                entries.Add(new(text, value));
            }
        }
        return entries;
    }

    static string Describe(byte[] key) => Encoding.UTF8.GetString(key.AsSpan(0, Math.Min(key.Length, 200)));

    /// <summary>A block's contents (without its trailer), after checking its bounds, trailer checksum and compression type.</summary>
    static ReadOnlyMemory<byte> Block(byte[] table, ulong offset, ulong size, string file, string part)
    {
        ulong dataEnd = (ulong)(table.Length - FooterLength);
        if (offset > dataEnd || size > dataEnd - offset || TrailerLength > dataEnd - offset - size)
            throw new ModelFileException(file, part, $"block of {size} bytes at offset {offset} (plus its {TrailerLength}-byte trailer) lies beyond the {table.Length}-byte file");
        int start = (int)offset, length = (int)size;
        var withType = table.AsSpan(start, length + 1);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(start + length + 1, 4));
        uint actual = Crc32C.Compute(withType);
        if (Crc32C.Unmask(stored) != actual)
            throw new ModelFileException(file, part, $"block checksum mismatch (stored {Crc32C.Unmask(stored):x8}, computed {actual:x8}): the index is corrupt");
        if (table[start + length] != NoCompression)
            throw new ModelFileException(file, part, $"block compression type {table[start + length]} is not supported (TensorFlow writes checkpoint indexes uncompressed)");
        return table.AsMemory(start, length);
    }

    /// <summary>Decodes every entry of a block in order, checking each length against the block.</summary>
    static List<(byte[] Key, byte[] Value)> Entries(ReadOnlyMemory<byte> block, string file, string part, KeyBudget budget)
    {
        var entries = new List<(byte[] Key, byte[] Value)>();
        if (block.Length < 4) throw new ModelFileException(file, part, $"block of {block.Length} bytes cannot hold its restart count");
        uint restarts = BinaryPrimitives.ReadUInt32LittleEndian(block.Span[^4..]);
        if (restarts > (uint)(block.Length - 4) / 4) throw new ModelFileException(file, part, $"block of {block.Length} bytes claims {restarts} restart points");
        int limit = block.Length - 4 - (int)restarts * 4;
        var key = Array.Empty<byte>();
        int at = 0;
        var span = block.Span[..limit];
        while (at < limit)
        {
            uint shared = ReadVarint32(span, ref at, file, part), unshared = ReadVarint32(span, ref at, file, part), valueLength = ReadVarint32(span, ref at, file, part);
            if (shared > key.Length)
                throw new ModelFileException(file, part, $"entry at {at} shares {shared} key bytes with a {key.Length}-byte previous key");
            if (unshared > (uint)(limit - at) || valueLength > (uint)(limit - at) - unshared)
                throw new ModelFileException(file, part, $"entry at {at} claims {unshared} key and {valueLength} value bytes, more than the block holds");
            budget.Bytes -= shared + unshared;
            if (budget.Bytes < 0)
                throw new ModelFileException(file, part, "the keys expand to far more bytes than a checkpoint index holds (prefix compression bomb)");
            var next = new byte[shared + unshared];
            key.AsSpan(0, (int)shared).CopyTo(next);
            span.Slice(at, (int)unshared).CopyTo(next.AsSpan((int)shared));
            at += (int)unshared;
            var value = span.Slice(at, (int)valueLength).ToArray();
            at += (int)valueLength;
            key = next;
            entries.Add((key, value));
        }
        return entries;
    }

    static (ulong Offset, ulong Size) ReadHandle(ReadOnlySpan<byte> data, ref int at, string file, string part) =>
        (ReadVarint64(data, ref at, file, part), ReadVarint64(data, ref at, file, part));

    static uint ReadVarint32(ReadOnlySpan<byte> data, ref int at, string file, string part)
    {
        ulong value = ReadVarint64(data, ref at, file, part);
        return value <= uint.MaxValue ? (uint)value : throw new ModelFileException(file, part, $"varint32 at {at} holds {value}, beyond 32 bits");
    }

    /// <summary>A little-endian base-128 varint of at most 10 bytes that ends within <paramref name="data"/>.</summary>
    public static ulong ReadVarint64(ReadOnlySpan<byte> data, ref int at, string file, string part)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new ModelFileException(file, part, $"varint runs past the end ({data.Length} bytes)");
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new ModelFileException(file, part, $"varint at {at} is longer than 10 bytes");
    }
}
