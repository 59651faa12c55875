namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>
/// Where a quantized Dense or EinsumDense kernel's axes go, as the runtime's <c>KernelGeometry</c>
/// (Runtime/Quantization/QuantizedKernel.cs): the float kernel's shape (its leading <paramref name="Rows"/> elements
/// are the contracted axes, as Keras flattens an int4 kernel to [rows, columns]), the int8 kernel_scale's shape, the
/// input axes int8 quantizes over, and the products.
/// </summary>
/// <param name="KernelShape">The float kernel's shape.</param>
/// <param name="Rows">Product of the kernel's contracted axes.</param>
/// <param name="Columns">Product of the kernel's output axes.</param>
/// <param name="Int8ScaleShape">The int8 kernel_scale's shape (it broadcasts against the output).</param>
/// <param name="InputReducedAxes">The input axes the product contracts, where int8 quantizes the input.</param>
/// <param name="InputScaleToOutput">Brings a scale with size 1 on <see cref="InputReducedAxes"/> to the output's axes.</param>
/// <param name="FloatProduct">x, float kernel → the layer's product (MatMul or its Einsum).</param>
/// <param name="IntegerProduct">int8 x, int8 kernel → the exact int32 product (MatMulInteger, or Einsum in int32).</param>
/// <param name="Int4DividesOutput">Per-channel int4: Dense divides the output by the scale, EinsumDense the kernel.</param>
internal sealed record OnnxKernelGeometry(long[] KernelShape, long Rows, long Columns, long[] Int8ScaleShape, int[] InputReducedAxes,
    Func<OnnxValue, OnnxValue> InputScaleToOutput, Func<OnnxValue, OnnxValue, OnnxValue> FloatProduct,
    Func<OnnxValue, OnnxValue, OnnxValue> IntegerProduct, bool Int4DividesOutput);

/// <summary>
/// Quantized Dense, EinsumDense and Embedding layers as ONNX nodes, step for step as Keras computes them
/// (keras/src/layers/core/dense.py, einsum_dense.py, embedding.py <c>_int8_call</c>, <c>_int4_call</c>; the runtime's
/// Runtime/Quantization). Kernels stay int8 initializers (int4 unpacked to one value per byte); the float ops on
/// them (cast, − zero, × scale, ÷ scale) are Keras's, so the dequantized values are the same float32 numbers.
/// int8 layers quantize their input at run time as Keras's <c>abs_max_quantize</c> does and multiply integers exactly.
/// </summary>
internal static class QuantizedLowerings
{
    /// <summary>Keras's int8 range and <c>backend.epsilon()</c>, the input quantizer's defaults (quantizers.py <c>abs_max_quantize</c>).</summary>
    const double Range = 127, Epsilon = 1e-7;

    /// <summary>
    /// x → the product of <paramref name="c"/>'s quantized kernel, before the bias; <paramref name="roles"/> gives
    /// each of <paramref name="quantization"/>'s variables' index among the weights.
    /// </summary>
    public static OnnxValue Product(OnnxLayerCall c, KerasQuantization quantization, IReadOnlyDictionary<string, int> roles,
        OnnxKernelGeometry geometry, OnnxValue x)
    {
        var g = c.Graph;
        if (quantization.IsFloat8)
            throw c.Unsupported("float8 layers: Keras rounds input and kernel to float8_e4m3fn, a type ONNX has only from opset 19 on (this writer targets 17)");
        if (quantization.IsInt8)
        {
            var kernel = c.Int8Weight(roles["kernel"], "kernel", geometry.KernelShape);
            var kernelScale = c.Weight(roles["kernel_scale"], "kernel_scale", geometry.Int8ScaleShape);
            var (quantized, inputScale) = QuantizeInputs(g, x, geometry.InputReducedAxes);
            var integers = g.Cast(geometry.IntegerProduct(quantized, kernel), OnnxType.Float);
            return g.Div(integers, g.Mul(kernelScale, geometry.InputScaleToOutput(inputScale)));
        }
        var unpacked = Int4Values(c, roles["kernel"], "kernel", geometry.Rows, geometry.Columns);
        if (quantization.IsGroupedInt4)
        {
            long groups = (geometry.Rows + quantization.BlockSize - 1) / quantization.BlockSize;
            var grouped = DequantizeGrouped(c, roles, "kernel", unpacked, groups, geometry.Columns, geometry.Rows, groupAxis: 0);
            return geometry.FloatProduct(x, g.Reshape(grouped, geometry.KernelShape));
        }
        var scale = c.Weight(roles["kernel_scale"], "kernel_scale", geometry.Columns);
        return geometry.Int4DividesOutput
            ? g.Div(geometry.FloatProduct(x, g.Reshape(unpacked, geometry.KernelShape)), scale)
            : geometry.FloatProduct(x, g.Reshape(g.Div(unpacked, scale), geometry.KernelShape));
    }

    /// <summary>
    /// The float table a quantized Embedding looks rows up in: Keras takes rows then de-scales them elementwise, so
    /// de-scaling the table first gives the same numbers (embedding.py <c>_int8_call</c>, <c>_int4_call</c>).
    /// </summary>
    public static OnnxValue EmbeddingTable(OnnxLayerCall c, KerasQuantization quantization, IReadOnlyList<string> variables, long inputDim, long outputDim)
    {
        var g = c.Graph;
        var roles = c.WeightIndicesByRole(variables);
        var values = quantization.IsInt8
            ? g.Cast(c.Int8Weight(roles["embeddings"], "embeddings", inputDim, outputDim), OnnxType.Float)
            : Int4Values(c, roles["embeddings"], "embeddings", inputDim, outputDim);
        if (quantization.IsGroupedInt4)
        {
            long groups = (outputDim + quantization.BlockSize - 1) / quantization.BlockSize;
            return DequantizeGrouped(c, roles, "embeddings", values, inputDim, groups, outputDim, groupAxis: 1);
        }
        return g.Div(values, g.Unsqueeze(c.Weight(roles["embeddings_scale"], "embeddings_scale", inputDim), -1));
    }

    /// <summary>
    /// Keras's <c>abs_max_quantize(x, axis)</c>: scale = 127 / (max|x| + 1e-7) over <paramref name="axes"/>,
    /// q = clip(round(x · scale), −127, 127) as int8 (ONNX Round, like torch.round, rounds half to even).
    /// </summary>
    static (OnnxValue Quantized, OnnxValue Scale) QuantizeInputs(OnnxGraph g, OnnxValue x, int[] axes)
    {
        var denominator = g.Add(g.Reduce("ReduceMax", g.Unary("Abs", x), axes, keepDims: true), g.Scalar(Epsilon));
        var scale = g.Div(g.Scalar(Range), denominator);
        var quantized = g.Clip(g.Unary("Round", g.Mul(x, scale)), -Range, Range);
        return (g.Cast(quantized, OnnxType.Int8), scale);
    }

    /// <summary>
    /// The int4 values of a packed weight (<paramref name="rows"/> × ⌈<paramref name="columns"/>/2⌉ bytes, two per
    /// byte along the last axis, the low nibble holding the even column: quantizers.py <c>unpack_int4</c>) as a float
    /// value of shape [rows, columns], stored as an int8 initializer of one value per byte.
    /// </summary>
    static OnnxValue Int4Values(OnnxLayerCall c, int index, string role, long rows, long columns)
    {
        long packedColumns = (columns + 1) / 2;
        var packed = c.Int8Data(index, role, rows, packedColumns);
        var values = new sbyte[rows * columns];
        for (long r = 0; r < rows; r++)
            for (long k = 0; k < columns; k++)
            {
                int b = packed[r * packedColumns + k / 2];
                // Sign-extend the low nibble (shift it to the top, then arithmetically back); the high one is b >> 4.
                values[r * columns + k] = (sbyte)(k % 2 == 0 ? (sbyte)(b << 4) >> 4 : b >> 4);
            }
        return c.Graph.Cast(c.Graph.Int8Weight(role + "_int4", values, [rows, columns]), OnnxType.Float);
    }

    /// <summary>
    /// quantizers.py <c>dequantize_with_sz_map</c>: (q − zero[g]) × scale[g], g = g_idx along
    /// <paramref name="groupAxis"/> of the <c>&lt;role&gt;_scale</c> and <c>&lt;role&gt;_zero</c> weights
    /// (<paramref name="scaleRows"/> × <paramref name="scaleColumns"/>); g_idx has <paramref name="indexed"/> entries.
    /// </summary>
    static OnnxValue DequantizeGrouped(OnnxLayerCall c, IReadOnlyDictionary<string, int> roles, string role, OnnxValue values,
        long scaleRows, long scaleColumns, long indexed, int groupAxis)
    {
        var g = c.Graph;
        var groupCount = groupAxis == 0 ? scaleRows : scaleColumns;
        var (indices, _) = c.WeightData(roles["g_idx"], "g_idx", indexed);
        if (indices.Any(i => i < 0 || i >= groupCount || i != MathF.Round(i)))
            throw new WeightMismatchException(c.Name, "g_idx", $"g_idx must hold group numbers 0..{groupCount - 1}");
        var groups = g.LongTensor(Array.ConvertAll(indices, i => (long)i), indexed);
        var scale = g.Gather(c.Weight(roles[role + "_scale"], role + "_scale", scaleRows, scaleColumns), groups, groupAxis);
        var zero = g.Gather(g.Cast(c.Int8Weight(roles[role + "_zero"], role + "_zero", scaleRows, scaleColumns), OnnxType.Float), groups, groupAxis);
        return g.Mul(g.Sub(values, zero), scale);
    }
}
