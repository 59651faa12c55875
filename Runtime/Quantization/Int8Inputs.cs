namespace KerasPort.Runtime.Quantization;

/// <summary>
/// What an int8 layer does to its input at call time (Keras's default <c>AbsMaxQuantizer</c>,
/// keras/src/quantizers/quantizers.py <c>abs_max_quantize</c>): scale = 127 / (max|x| over the reduced axes + 1e-7),
/// q = clip(round(x * scale), -127, 127), round half to even as torch.round does.
/// </summary>
internal static class Int8Inputs
{
    const double Range = 127;
    /// <summary>Keras's <c>backend.epsilon()</c>, the quantizer's default epsilon.</summary>
    const double Epsilon = 1e-7;

    /// <summary>
    /// <paramref name="x"/> quantized over <paramref name="axes"/> (values in [-127, 127], kept in x's float type) and
    /// the scale, with size 1 on those axes.
    /// </summary>
    public static (Tensor Quantized, Tensor Scale) Quantize(Tensor x, long[] axes)
    {
        using var scope = NewDisposeScope();
        var denominator = x.abs().amax(axes, keepdim: true).Plus(Epsilon);
        // A true division, as Keras's: a reciprocal then a product would round twice.
        var scale = full_like(denominator, Of(Range)).div(denominator);
        var quantized = x.mul(scale).round().clamp(Of(-Range), Of(Range));
        return (quantized.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Keras's int8 product: <paramref name="product"/> of the quantized input and the int8 kernel, exact in integers
    /// (Keras multiplies int8 by int8 into int32; float64 holds every such sum exactly, on CPU and CUDA alike), cast to
    /// float32, then divided by kernel scale × input scale (dense.py and einsum_dense.py <c>_int8_call</c>).
    /// </summary>
    /// <param name="x">The float input.</param>
    /// <param name="reducedAxes">The input axes the product contracts (the quantizer's axes).</param>
    /// <param name="kernel">The int8 kernel values, as float64.</param>
    /// <param name="kernelScale">The stored kernel_scale, shaped to broadcast against the output.</param>
    /// <param name="product">The layer's product (matmul or its einsum).</param>
    /// <param name="inputScaleToOutput">Brings the input scale (size 1 on the reduced axes) to the output's axes.</param>
    public static Tensor Product(Tensor x, long[] reducedAxes, Tensor kernel, Tensor kernelScale,
        Func<Tensor, Tensor, Tensor> product, Func<Tensor, Tensor> inputScaleToOutput)
    {
        using var scope = NewDisposeScope();
        var (quantized, inputScale) = Quantize(x, reducedAxes);
        var integers = product(quantized.to_type(ScalarType.Float64), kernel).to_type(x.dtype);
        return integers.div(kernelScale.mul(inputScaleToOutput(inputScale))).MoveToOuterDisposeScope();
    }
}
