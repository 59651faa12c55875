using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime.Quantization;

/// <summary>
/// Where a Dense or EinsumDense kernel's axes go: the kernel's shape (the leading <see cref="Rows"/> elements are
/// the contracted axes, as Keras flattens an int4 kernel to [rows, columns]), the input axes the product contracts,
/// the shape of an int8 kernel_scale, and the product itself.
/// </summary>
/// <param name="KernelShape">The float kernel's shape (-1 where unknown).</param>
/// <param name="Rows">Product of the kernel's contracted axes (-1 when unknown).</param>
/// <param name="Columns">Product of the kernel's output axes.</param>
/// <param name="Int8ScaleShape">The int8 kernel_scale's shape (it broadcasts against the output).</param>
/// <param name="InputReducedAxes">The input axes the product contracts, where int8 quantizes the input.</param>
/// <param name="InputScaleToOutput">Brings a scale with size 1 on <see cref="InputReducedAxes"/> to the output's axes.</param>
/// <param name="Product">x, kernel → the layer's product (matmul, or the layer's einsum).</param>
/// <param name="Int4DividesOutput">
/// Per-channel int4: Dense multiplies by the integer kernel and divides the output by the scale; EinsumDense
/// divides the kernel first (dense.py and einsum_dense.py <c>_int4_call</c>).
/// </param>
internal sealed record KernelGeometry(long[] KernelShape, long Rows, long Columns, long[] Int8ScaleShape, long[] InputReducedAxes,
    Func<Tensor, Tensor> InputScaleToOutput, Func<Tensor, Tensor, Tensor> Product, bool Int4DividesOutput);

/// <summary>
/// A quantized Dense or EinsumDense kernel read from its weights, and the product Keras computes with it
/// (keras/src/layers/core/dense.py and einsum_dense.py <c>_int8_call</c>, <c>_int4_call</c>, <c>_float8_call</c>): int8
/// quantizes the input and multiplies integers (<see cref="Int8Inputs"/>); int4 is weight-only; float8 fake-quantizes
/// input and kernel (<see cref="Float8"/>).
/// </summary>
internal static class QuantizedKernel
{
    /// <summary>
    /// x → the layer's product before the bias. <paramref name="indices"/> gives each of
    /// <paramref name="quantization"/>'s variables' index among the weights; <paramref name="own"/> keeps a tensor
    /// for the layer's lifetime.
    /// </summary>
    public static Func<Tensor, Tensor> Read(LayerContext context, KerasQuantization quantization, WeightRoles indices,
        KernelGeometry geometry, Func<Tensor, Tensor> own)
    {
        using var scope = NewDisposeScope();
        Tensor Weight(string role, params long[] shape) => context.Weight(indices[role], role, shape);
        if (quantization.IsFloat8)
        {
            var inputsScale = own(Weight("inputs_scale"));
            var kernel = own(Float8.QuantizeDequantize(Weight("kernel", geometry.KernelShape), Weight("kernel_scale")));
            return x =>
            {
                using var quantized = Float8.QuantizeDequantize(x, inputsScale);
                return geometry.Product(quantized, kernel);
            };
        }
        if (quantization.IsInt8)
        {
            var kernel = own(Weight("kernel", geometry.KernelShape).to_type(ScalarType.Float64));
            var scale = own(Weight("kernel_scale", geometry.Int8ScaleShape));
            return x => Int8Inputs.Product(x, geometry.InputReducedAxes, kernel, scale, geometry.Product, geometry.InputScaleToOutput);
        }
        long packedColumns = (geometry.Columns + 1) / 2;
        var unpacked = Int4Weights.Unpack(Weight("kernel", geometry.Rows, packedColumns), geometry.Columns);
        if (quantization.IsGroupedInt4)
        {
            long groups = geometry.Rows < 0 ? -1 : (geometry.Rows + quantization.BlockSize - 1) / quantization.BlockSize;
            var grouped = Int4Weights.DequantizeGrouped(unpacked, Weight("kernel_scale", groups, geometry.Columns),
                Weight("kernel_zero", groups, geometry.Columns), Weight("g_idx", unpacked.size(0)), groupAxis: 0);
            var kernel = own(grouped.reshape(geometry.KernelShape));
            return x => geometry.Product(x, kernel);
        }
        var channelScale = Weight("kernel_scale", geometry.Columns);
        if (geometry.Int4DividesOutput)
        {
            var (integers, outputScale) = (own(unpacked.reshape(geometry.KernelShape)), own(channelScale));
            return x => geometry.Product(x, integers).div(outputScale);
        }
        var dequantized = own(unpacked.div(channelScale).reshape(geometry.KernelShape));
        return x => geometry.Product(x, dequantized);
    }
}
