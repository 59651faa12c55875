namespace KerasPort.Runtime.Quantization;

/// <summary>
/// Keras's float8 fake quantization of an input or kernel (keras/src/quantizers/quantizers.py
/// <c>quantize_and_dequantize</c> with <c>float8_e4m3fn</c>, as dense.py and einsum_dense.py <c>_float8_call</c> use it
/// at inference): x / scale clipped to ±448, cast to float8_e4m3fn (round to nearest, ties to even), cast back and
/// multiplied by the scale. TorchSharp has no float8 type, so the cast is done on the value's float8 grid: 3 mantissa
/// bits, spacing 2^(e − 3) in [2^e, 2^(e+1)) for e ≥ −6, and the subnormal spacing 2^−9 below 2^−6.
/// </summary>
internal static class Float8
{
    /// <summary><c>ml_dtypes.finfo("float8_e4m3fn").max</c>.</summary>
    const double E4M3Max = 448;
    /// <summary>The smallest normal float8_e4m3fn exponent.</summary>
    const double MinExponent = -6;
    const double MantissaBits = 3;

    /// <summary><paramref name="x"/> quantized to float8_e4m3fn with <paramref name="scale"/> (a scalar) and dequantized, in x's type.</summary>
    public static Tensor QuantizeDequantize(Tensor x, Tensor scale)
    {
        using var scope = NewDisposeScope();
        // Divide and clip in x's type as Keras does; the rounding itself in float64, where every step is exact.
        var scaled = x.div(scale.to_type(x.dtype)).clamp(Of(-E4M3Max), Of(E4M3Max)).to_type(ScalarType.Float64);
        var exponent = scaled.abs().clamp_min(Of(Math.Pow(2, MinExponent))).log2().floor();
        var spacing = exponent.sub(Of(MantissaBits)).exp2();
        var rounded = scaled.div(spacing).round().mul(spacing);
        return rounded.to_type(x.dtype).mul(scale.to_type(x.dtype)).MoveToOuterDisposeScope();
    }
}
