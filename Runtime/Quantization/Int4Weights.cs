namespace KerasPort.Runtime.Quantization;

/// <summary>
/// Keras's int4 weight storage (keras/src/quantizers/quantizers.py <c>pack_int4</c>/<c>unpack_int4</c>,
/// <c>dequantize_with_sz_map</c>): values in [-8, 7] packed two per int8 byte along the last axis, the low nibble
/// holding the even column; grouped (sub-channel) weights dequantize as (q − zero) × scale with each row's (or
/// column's) group given by g_idx.
/// </summary>
internal static class Int4Weights
{
    /// <summary>
    /// The int4 values of <paramref name="packed"/> (int8 bytes held as floats), unpacked along the last axis to
    /// <paramref name="length"/> (an odd length drops the padding nibble).
    /// </summary>
    public static Tensor Unpack(Tensor packed, long length)
    {
        using var scope = NewDisposeScope();
        // byte >> 4 (arithmetic, so signed) is the high nibble; the rest is the low nibble's bits, then sign-extended.
        var high = packed.div(Of(16.0), RoundingMode.floor);
        var lowBits = packed.sub(high.mul(Of(16.0)));
        var low = lowBits.sub(lowBits.ge(Of(8.0)).to_type(packed.dtype).mul(Of(16.0)));
        var interleaved = stack([low, high], -1).flatten(-2);
        return interleaved.narrow(-1, 0, length).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (q − zero[g]) × scale[g], where g = g_idx along <paramref name="groupAxis"/> of <paramref name="scale"/>
    /// and <paramref name="zero"/> (0 for a kernel's rows, 1 for an embedding table's columns).
    /// </summary>
    public static Tensor DequantizeGrouped(Tensor quantized, Tensor scale, Tensor zero, Tensor gIdx, long groupAxis)
    {
        using var scope = NewDisposeScope();
        var groups = gIdx.to_type(ScalarType.Int64);
        var scales = scale.index_select(groupAxis, groups);
        var zeros = zero.index_select(groupAxis, groups);
        return quantized.sub(zeros).mul(scales).MoveToOuterDisposeScope();
    }
}
