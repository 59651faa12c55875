using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using KerasPort.Converters.SavedModel;
using KerasPort.Converters.SavedModel.Proto;

namespace KerasPort.Tests.Hardening;

/// <summary>
/// Writes TensorFlow checkpoint files for structured mutations: a sorted-table index (one data block with a restart
/// at every entry, an index block, an empty metaindex block, the footer) with correct block checksums, and string
/// tensors in the bundle's encoding. Lets a test change one field of an entry, or of the object graph, and still get
/// past the checksums to the check under test.
/// </summary>
public static class TensorBundleFiles
{
    /// <summary>The entries of an index file, in order (the header under the empty key first).</summary>
    internal static List<KeyValuePair<string, byte[]>> ReadIndex(byte[] index) => SortedTable.ReadAll(index, "index");

    /// <summary>An index file holding <paramref name="entries"/> in the order given (sorted or not).</summary>
    internal static byte[] WriteIndex(IEnumerable<KeyValuePair<string, byte[]>> entries) =>
        WriteTable(Block(entries.Select(e => (Encoding.UTF8.GetBytes(e.Key), e.Value)).ToList()), entries.Select(e => Encoding.UTF8.GetBytes(e.Key)).LastOrDefault() ?? []);

    /// <summary>
    /// A table of one data block given as raw bytes (entries, restart array and count), with its trailer, the
    /// metaindex and index blocks and the footer; <paramref name="lastKey"/> is the index block's separator.
    /// </summary>
    internal static byte[] WriteTable(byte[] dataBlock, byte[] lastKey)
    {
        using var file = new MemoryStream();
        var (dataOffset, dataSize) = Append(file, dataBlock);
        var (metaOffset, metaSize) = Append(file, Block([]));
        var (indexOffset, indexSize) = Append(file, Block([(lastKey, Handle(dataOffset, dataSize))]));
        var footer = new byte[48];
        var handles = Handle(metaOffset, metaSize).Concat(Handle(indexOffset, indexSize)).ToArray();
        handles.CopyTo(footer, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(footer.AsSpan(40), 0xdb4775248b80fb57UL);
        file.Write(footer);
        return file.ToArray();
    }

    /// <summary>A block: entries with no shared key prefix (each a restart point), the restart array, its count.</summary>
    static byte[] Block(List<(byte[] Key, byte[] Value)> entries)
    {
        using var block = new MemoryStream();
        var restarts = new List<int>();
        foreach (var (key, value) in entries)
        {
            restarts.Add((int)block.Length);
            block.Write(Varint(0));
            block.Write(Varint((ulong)key.Length));
            block.Write(Varint((ulong)value.Length));
            block.Write(key);
            block.Write(value);
        }
        var tail = new byte[4 * (restarts.Count + 1)];
        for (int i = 0; i < restarts.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(tail.AsSpan(4 * i), restarts[i]);
        BinaryPrimitives.WriteInt32LittleEndian(tail.AsSpan(4 * restarts.Count), restarts.Count);
        block.Write(tail);
        return block.ToArray();
    }

    /// <summary>Appends a block and its trailer (type 0, masked CRC-32C of block and type byte); returns its handle.</summary>
    static (ulong Offset, ulong Size) Append(MemoryStream file, byte[] block)
    {
        ulong offset = (ulong)file.Length;
        file.Write(block);
        file.WriteByte(0);
        var trailer = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32C.Mask(Crc32C.Compute([.. block, 0])));
        file.Write(trailer);
        return (offset, (ulong)block.Length);
    }

    static byte[] Handle(ulong offset, ulong size) => [.. Varint(offset), .. Varint(size)];

    /// <summary>A little-endian base-128 varint.</summary>
    internal static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7) bytes.Add((byte)(value | 0x80));
        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>A string tensor's bytes in the data file (lengths, their masked CRC, the strings) and the entry's masked CRC.</summary>
    internal static (byte[] Bytes, uint MaskedCrc) EncodeStrings(params byte[][] strings)
    {
        using var data = new MemoryStream();
        uint crc = 0;
        foreach (var s in strings)
        {
            data.Write(Varint((ulong)s.Length));
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)s.Length);
            crc = Crc32C.Extend(crc, length);
        }
        var lengthCrc = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(lengthCrc, Crc32C.Mask(crc));
        data.Write(lengthCrc);
        crc = Crc32C.Extend(crc, lengthCrc);
        foreach (var s in strings)
        {
            data.Write(s);
            crc = Crc32C.Extend(crc, s);
        }
        return (data.ToArray(), Crc32C.Mask(crc));
    }

    /// <summary>Parses an entry value of an index.</summary>
    internal static BundleEntryProto Entry(byte[] value) => BundleEntryProto.Parser.ParseFrom(value);

    /// <summary>Serializes a protobuf message.</summary>
    internal static byte[] Bytes(IMessage message) => message.ToByteArray();
}
