using KerasPort.Converters.Hdf5;

namespace KerasPort.Converters.Keras;

/// <summary>
/// A LoRA Dense or EinsumDense read from a legacy (.h5) file holds the base kernel and <c>lora_kernel_a/b</c>, where a
/// Keras 3 file holds the merged kernel: <c>save_own_variables</c> saves the <c>kernel</c> property,
/// kernel + (lora_alpha / lora_rank) · (lora_kernel_a @ lora_kernel_b) (keras/src/layers/core/dense.py and
/// einsum_dense.py). Merging gives what a Keras 3 file holds and what the layer computes, for the writers that
/// take float kernels (the Keras 3 layout, ONNX).
/// </summary>
public static class LegacyLora
{
    /// <summary>True for a LoRA Dense or EinsumDense whose weights include the unmerged <c>lora_kernel_a/b</c>.</summary>
    public static bool HoldsUnmergedMatrices(LayerDescription layer) =>
        layer.ClassName is "Dense" or "EinsumDense" && KerasQuantization.Lora(layer.Config) is not null
        && layer.Weights.Any(w => Keras3WeightPaths.Leaf(w.Name).StartsWith("lora_kernel", StringComparison.Ordinal));

    /// <summary>
    /// <paramref name="layer"/> with the weights of a Keras 3 file, the merged kernel then the bias (named as the
    /// legacy kernel and bias); any other layer as it is.
    /// </summary>
    /// <exception cref="WeightMismatchException">A weight is missing or the LoRA matrices' shapes do not fit the kernel and rank.</exception>
    public static LayerDescription Merged(LayerDescription layer)
    {
        if (!HoldsUnmergedMatrices(layer)) return layer;
        var (rank, alpha) = KerasQuantization.Lora(layer.Config)!.Value;
        bool hasBias = KerasQuantization.HasBias(layer.ClassName, layer.Config);
        var roles = KerasQuantization.LegacyLoraVariables(hasBias);
        // Legacy LoRA files are Keras 2 (tf.keras) files; only the weight layout is read here.
        var indices = LayerReader.Of(layer, 2).WeightIndices(roles);
        WeightArray Weight(string role) => layer.Weights[indices[roles.ToList().IndexOf(role)]];
        var kernel = Weight("kernel");
        var (a, b) = (Weight("lora_kernel_a").Value, Weight("lora_kernel_b").Value);
        long columns = kernel.Value.Shape[^1], rows = kernel.Value.Length / Math.Max(columns, 1);
        if (!a.Shape.SequenceEqual([.. kernel.Value.Shape[..^1], rank]) || !b.Shape.SequenceEqual([rank, columns]))
            throw new WeightMismatchException(layer.Name, "lora_kernel_a",
                $"lora_kernel_a {a.ShapeText} and lora_kernel_b {b.ShapeText} do not fit kernel {kernel.Value.ShapeText} at lora_rank {rank}");
        var (merged, left, right) = (kernel.Value.ToFloats().ToArray(), a.ToFloats(), b.ToFloats());
        // Keras: kernel + scale * matmul(a, b), the scale a float32 multiplier of the float32 product.
        float scale = (float)(alpha / rank);
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < columns; j++)
            {
                float sum = 0;
                for (int r = 0; r < rank; r++) sum += left[i * rank + r] * right[r * columns + j];
                merged[i * columns + j] += scale * sum;
            }
        var mergedKernel = kernel with { Value = new NdArray(DType.Float32, kernel.Value.Shape, merged) };
        return layer with { Weights = hasBias ? [mergedKernel, Weight("bias")] : [mergedKernel] };
    }
}
