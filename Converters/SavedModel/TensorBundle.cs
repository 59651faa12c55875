using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using KerasPort.Converters.SavedModel.Proto;

namespace KerasPort.Converters.SavedModel;

/// <summary>
/// A TensorFlow tensor bundle (a TF 2 checkpoint; tensorflow/core/util/tensor_bundle/tensor_bundle.cc): the sorted
/// table <c>PREFIX.index</c> maps each checkpoint key to a <see cref="BundleEntryProto"/> (dtype, shape, data shard,
/// offset, size, masked CRC-32C), and the empty key to the <see cref="BundleHeaderProto"/>; the shards
/// <c>PREFIX.data-NNNNN-of-MMMMM</c> hold the raw little-endian tensor bytes. Entries are checked against the real
/// shard sizes and checksummed before any tensor is allocated.
/// </summary>
internal sealed class TensorBundle
{
    /// <summary>Far above any real index (about 100 bytes per variable): stops a hostile file before it is read into memory.</summary>
    const long MaxIndexBytes = 256L << 20;

    /// <summary>Far above any real checkpoint's shard count.</summary>
    const int MaxShards = 1 << 16;

    /// <summary><c>kTensorBundleVersion</c>: a bundle whose <c>min_consumer</c> is above it needs a newer reader.</summary>
    const int BundleVersion = 1;

    readonly string prefix;
    readonly int shards;

    TensorBundle(string prefix, string indexPath, int shards, Dictionary<string, BundleEntryProto> entries)
    {
        this.prefix = prefix;
        this.shards = shards;
        IndexPath = indexPath;
        Entries = entries;
    }

    /// <summary>The <c>.index</c> file.</summary>
    public string IndexPath { get; }

    /// <summary>Every tensor entry by checkpoint key (the header excluded).</summary>
    public IReadOnlyDictionary<string, BundleEntryProto> Entries { get; }

    /// <summary>The data file of shard <paramref name="shard"/> (tensor_bundle/naming.cc <c>DataFilename</c>).</summary>
    public string DataPath(int shard) => $"{prefix}.data-{shard:D5}-of-{shards:D5}";

    /// <summary>Opens the bundle <paramref name="prefix"/> (e.g. <c>dir/variables/variables</c>), reading and checking its index.</summary>
    public static TensorBundle Open(string prefix)
    {
        var indexPath = prefix + ".index";
        if (!File.Exists(indexPath)) throw new ModelFileNotFoundException(indexPath);
        long length = new FileInfo(indexPath).Length;
        if (length > MaxIndexBytes)
            throw new ModelFileException(indexPath, null, $"{length:N0} bytes is far more than a checkpoint index holds (limit {MaxIndexBytes:N0})");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(indexPath); }
        catch (IOException e) { throw new ModelFileException(indexPath, null, $"cannot read: {e.Message}", e); }
        var table = SortedTable.ReadAll(bytes, indexPath);
        if (table is not [{ Key: "" } headerEntry, ..])
            throw new ModelFileException(indexPath, "(header)", "the index has no header entry (the empty key comes first in every tensor bundle)");
        var header = Parse(BundleHeaderProto.Parser, headerEntry.Value, indexPath, "(header)");
        if (header.NumShards < 1 || header.NumShards > MaxShards)
            throw new ModelFileException(indexPath, "(header)", $"num_shards {header.NumShards} is not between 1 and {MaxShards}");
        if (header.Endianness != BundleHeaderProto.Types.Endianness.Little)
            throw new ModelFileException(indexPath, "(header)", "the checkpoint was written on a big-endian machine; only little-endian checkpoints are supported");
        if (header.Version is { } version && version.MinConsumer > BundleVersion)
            throw new ModelFileException(indexPath, "(header)", $"the bundle format needs a reader of version {version.MinConsumer}, this one reads version {BundleVersion}");
        var entries = new Dictionary<string, BundleEntryProto>(StringComparer.Ordinal);
        foreach (var (key, value) in table.Skip(1)) entries[key] = Parse(BundleEntryProto.Parser, value, indexPath, key);
        return new TensorBundle(prefix, indexPath, header.NumShards, entries);
    }

    static T Parse<T>(MessageParser<T> parser, byte[] bytes, string file, string part) where T : IMessage<T>
    {
        try { return parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new ModelFileException(file, part, $"malformed index entry: {e.Message}", e); }
    }

    /// <summary>The entry for <paramref name="key"/>; a missing key is an error naming the index and the key.</summary>
    public BundleEntryProto Entry(string key) =>
        Entries.TryGetValue(key, out var entry) ? entry : throw new ModelFileException(IndexPath, key, "the checkpoint has no tensor under this key");

    /// <summary>The shape of <paramref name="entry"/>, each dimension checked.</summary>
    public long[] Shape(string key, BundleEntryProto entry)
    {
        if (entry.Shape is null) return [];
        if (entry.Shape.UnknownRank) throw new ModelFileException(IndexPath, key, "the stored tensor has an unknown rank");
        var shape = entry.Shape.Dim.Select(d => d.Size).ToArray();
        if (shape.Any(d => d < 0)) throw new ModelFileException(IndexPath, key, $"the stored tensor has a negative dimension: ({string.Join(", ", shape)})");
        return shape;
    }

    /// <summary>The element count of <paramref name="shape"/>, or an error when it exceeds what an array can hold.</summary>
    long Count(string key, long[] shape)
    {
        long count = 1;
        foreach (var d in shape)
            if (d != 0 && count > Array.MaxLength / d)
                throw new ModelFileException(IndexPath, key, $"shape ({string.Join(", ", shape)}) has more elements than an array holds");
            else count *= d;
        return count;
    }

    /// <summary>
    /// Reads the numeric tensor under <paramref name="key"/>. Half and bfloat16 widen to float32, small integers to
    /// int32, uint32 to int64.
    /// </summary>
    public NdArray ReadTensor(string key)
    {
        var entry = Entry(key);
        var shape = Shape(key, entry);
        long count = Count(key, shape);
        int width = entry.Dtype switch
        {
            DataType.DtFloat or DataType.DtInt32 or DataType.DtUint32 => 4,
            DataType.DtDouble or DataType.DtInt64 => 8,
            DataType.DtHalf or DataType.DtBfloat16 or DataType.DtInt16 or DataType.DtUint16 => 2,
            DataType.DtBool or DataType.DtInt8 or DataType.DtUint8 => 1,
            _ => throw new ModelFileException(IndexPath, key, $"tensors of dtype {entry.Dtype} are not supported as weights"),
        };
        if (entry.Size != count * width)
            throw new ModelFileException(IndexPath, key, $"entry claims {entry.Size} bytes, but a {entry.Dtype} tensor of shape ({string.Join(", ", shape)}) has {count * width}");
        var bytes = ReadChecked(key, entry);
        return entry.Dtype switch
        {
            DataType.DtFloat => new NdArray(DType.Float32, shape, MemoryMarshal.Cast<byte, float>(bytes).ToArray()),
            DataType.DtDouble => new NdArray(DType.Float64, shape, MemoryMarshal.Cast<byte, double>(bytes).ToArray()),
            DataType.DtInt32 => new NdArray(DType.Int32, shape, MemoryMarshal.Cast<byte, int>(bytes).ToArray()),
            DataType.DtInt64 => new NdArray(DType.Int64, shape, MemoryMarshal.Cast<byte, long>(bytes).ToArray()),
            DataType.DtUint32 => new NdArray(DType.Int64, shape, Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(bytes).ToArray(), v => (long)v)),
            DataType.DtHalf => new NdArray(DType.Float32, shape, Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(bytes).ToArray(), h => (float)h)),
            // bfloat16 is the upper half of a float32.
            DataType.DtBfloat16 => new NdArray(DType.Float32, shape, Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), b => BitConverter.Int32BitsToSingle(b << 16))),
            DataType.DtInt16 => new NdArray(DType.Int32, shape, Array.ConvertAll(MemoryMarshal.Cast<byte, short>(bytes).ToArray(), v => (int)v)),
            DataType.DtUint16 => new NdArray(DType.Int32, shape, Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), v => (int)v)),
            DataType.DtInt8 => new NdArray(DType.Int8, shape, MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray()),
            DataType.DtUint8 => new NdArray(DType.Int32, shape, Array.ConvertAll(bytes, b => (int)b)),
            _ => new NdArray(DType.Bool, shape, Array.ConvertAll(bytes, b => b != 0)),
        };
    }

    /// <summary>
    /// Reads the string tensor under <paramref name="key"/>. On disk (tensor_bundle.cc <c>WriteStringTensor</c>): one
    /// varint64 length per element, the masked CRC-32C of those lengths (each taken as a little-endian uint32, or uint64
    /// past 32 bits), then the string bytes; the entry's CRC covers the lengths, that stored CRC and the bytes.
    /// </summary>
    public byte[][] ReadStrings(string key)
    {
        var entry = Entry(key);
        if (entry.Dtype != DataType.DtString) throw new ModelFileException(IndexPath, key, $"expected a string tensor, found {entry.Dtype}");
        long count = Count(key, Shape(key, entry));
        // Every element takes at least one byte (its length), and the length checksum four more.
        if (count > 0 && count + 4 > entry.Size)
            throw new ModelFileException(IndexPath, key, $"{count} strings cannot fit in the entry's {entry.Size} bytes");
        if (count == 0) return [];
        var bytes = ReadChecked(key, entry, verify: false);
        var lengths = new ulong[count];
        uint crc = 0;
        int at = 0;
        Span<byte> word = stackalloc byte[8];
        for (long i = 0; i < count; i++)
        {
            lengths[i] = SortedTable.ReadVarint64(bytes, ref at, DataPath(entry.ShardId), key);
            if (lengths[i] <= uint.MaxValue)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)lengths[i]);
                crc = Crc32C.Extend(crc, word[..4]);
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(word, lengths[i]);
                crc = Crc32C.Extend(crc, word);
            }
        }
        if (bytes.Length - at < 4) throw new ModelFileException(DataPath(entry.ShardId), key, "string tensor is truncated before its length checksum");
        uint lengthChecksum = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
        if (Crc32C.Unmask(lengthChecksum) != crc)
            throw new ModelFileException(DataPath(entry.ShardId), key, $"string lengths checksum mismatch (stored {Crc32C.Unmask(lengthChecksum):x8}, computed {crc:x8})");
        crc = Crc32C.Extend(crc, bytes.AsSpan(at, 4));
        at += 4;
        var strings = new byte[count][];
        for (long i = 0; i < count; i++)
        {
            if (lengths[i] > (ulong)(bytes.Length - at))
                throw new ModelFileException(DataPath(entry.ShardId), key, $"string {i} claims {lengths[i]} bytes, more than the entry's remaining {bytes.Length - at}");
            strings[i] = bytes.AsSpan(at, (int)lengths[i]).ToArray();
            crc = Crc32C.Extend(crc, strings[i]);
            at += (int)lengths[i];
        }
        if (at != bytes.Length) throw new ModelFileException(DataPath(entry.ShardId), key, $"string tensor ends {bytes.Length - at} bytes before its entry does");
        VerifyChecksum(key, entry, crc);
        return strings;
    }

    /// <summary>
    /// The entry's bytes from its shard, after checking shard, offset and size against the shard's real length;
    /// unless <paramref name="verify"/> is false (strings checksum as they parse), their CRC against the entry's.
    /// </summary>
    byte[] ReadChecked(string key, BundleEntryProto entry, bool verify = true)
    {
        if (entry.Slices.Count > 0)
            throw new ModelFileException(IndexPath, key, "the tensor is partitioned into slices; partitioned checkpoints are not supported");
        if (entry.ShardId < 0 || entry.ShardId >= shards)
            throw new ModelFileException(IndexPath, key, $"entry names data shard {entry.ShardId}, the bundle has {shards}");
        var dataPath = DataPath(entry.ShardId);
        if (!File.Exists(dataPath)) throw new ModelFileNotFoundException(dataPath);
        if (entry.Offset < 0 || entry.Size < 0 || entry.Size > Array.MaxLength)
            throw new ModelFileException(IndexPath, key, $"entry has offset {entry.Offset} and size {entry.Size}");
        try
        {
            using var handle = File.OpenHandle(dataPath);
            long length = RandomAccess.GetLength(handle);
            if (entry.Offset > length || entry.Size > length - entry.Offset)
                throw new ModelFileException(dataPath, key, $"entry claims bytes {entry.Offset}..{entry.Offset + entry.Size}, the {length:N0}-byte data file is truncated or the index is corrupt");
            var bytes = new byte[entry.Size];
            if (RandomAccess.Read(handle, bytes, entry.Offset) != bytes.Length)
                throw new ModelFileException(dataPath, key, "the data file ended while reading the tensor");
            if (verify) VerifyChecksum(key, entry, Crc32C.Compute(bytes));
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(dataPath, key, $"cannot read: {e.Message}", e);
        }
    }

    /// <summary>The entry stores the masked CRC of its bytes (tensor_bundle.cc: <c>entry-&gt;set_crc32c(crc32c::Mask(crc32c))</c>).</summary>
    void VerifyChecksum(string key, BundleEntryProto entry, uint actual)
    {
        if (Crc32C.Unmask(entry.Crc32C) != actual)
            throw new ModelFileException(DataPath(entry.ShardId), key, $"checksum mismatch (stored {Crc32C.Unmask(entry.Crc32C):x8}, computed {actual:x8}): the data file or index is corrupt");
    }
}
