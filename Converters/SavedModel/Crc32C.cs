using System.Buffers.Binary;
using System.Numerics;

namespace KerasPort.Converters.SavedModel;

/// <summary>
/// CRC-32C (Castagnoli), as TensorFlow checksums checkpoint tables and tensor data, and TensorFlow's masking of
/// stored checksums (tensorflow/core/lib/hash/crc32c.h, after LevelDB): a stored CRC is rotated right by 15 bits
/// and offset by <see cref="MaskDelta"/>, so that a CRC of data that embeds CRCs stays well distributed. Table
/// block trailers and <c>BundleEntryProto.crc32c</c> hold masked values; string tensors embed a masked CRC of
/// their lengths, which the entry's CRC then covers in its masked (stored) form.
/// </summary>
internal static class Crc32C
{
    /// <summary>TensorFlow's <c>kMaskDelta</c>.</summary>
    const uint MaskDelta = 0xa282ead8u;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>The CRC-32C of the bytes <paramref name="crc"/> covers followed by <paramref name="data"/> (TF's <c>crc32c::Extend</c>).</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is the raw CRC step (hardware SSE4.2/ARMv8 instruction where available); the
        // standard CRC-32C starts from and ends with an inverted register.
        uint state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    /// <summary>The stored (masked) form of <paramref name="crc"/> (TF's <c>crc32c::Mask</c>).</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>The CRC whose stored form is <paramref name="masked"/> (TF's <c>crc32c::Unmask</c>).</summary>
    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }
}
