namespace KerasPort.Runtime.Layers.Attention;

/// <summary>
/// One <c>EinsumDense</c> sub-layer of an attention layer (<c>query</c>, <c>key</c>, <c>value</c>,
/// <c>attention_output</c>): <c>einsum(equation, x, kernel) + bias</c>, the bias already shaped by Keras to
/// broadcast against the output's trailing axes. Every projection equation Keras builds (multi_head_attention.py
/// <c>_build_proj_equation</c>: free input axes, then the contracted ones; the kernel holds the contracted axes, then
/// the new ones) contracts the input's trailing axes with the kernel's leading ones, so the einsum is one matrix product of the
/// flattened axes with the bias added in the same <c>linear</c> call (two libtorch calls instead of an einsum's
/// permutes, reshapes and batched product plus an addition: the bulk of a small transformer's time).
/// </summary>
internal sealed class EinsumProjection
{
    readonly int boundDims;
    readonly long[] kernelShape;
    readonly long inner;
    // The kernel as torch.nn.functional.linear's (out, in) weight (a transposed view) and the bias flattened: views of
    // the weights, made once.
    readonly Tensor weight;
    readonly Tensor? flatBias;

    EinsumProjection(Tensor kernel, Tensor? bias, int boundDims, Func<Tensor, Tensor> own)
    {
        this.boundDims = boundDims;
        kernelShape = kernel.Sizes();
        inner = kernelShape[..boundDims].Aggregate(1L, (a, b) => a * b);
        long outer = kernelShape[boundDims..].Aggregate(1L, (a, b) => a * b);
        weight = own(kernel.view(inner, outer).t());
        flatBias = bias is null ? null : own(bias.view(outer));
    }

    /// <summary>
    /// The projections <paramref name="parts"/> of one input (self-attention's query, key and value) as one matrix
    /// product: kernels <c>(in, *new)</c> become one kernel <c>(in, parts, *new)</c>, so the result holds each part's
    /// output along a new axis before the projected ones. Null unless every part contracts one axis of the same size,
    /// adds the same axes and has a bias or none alike. <paramref name="own"/> keeps the stacked copies alive.
    /// </summary>
    public static EinsumProjection? Stack(IReadOnlyList<EinsumProjection> parts, Func<Tensor, Tensor> own)
    {
        var first = parts[0];
        if (parts.Any(p => p.boundDims != 1 || p.inner != first.inner || !p.kernelShape.SequenceEqual(first.kernelShape)
            || (p.flatBias is null) != (first.flatBias is null)))
            return null;
        using var scope = NewDisposeScope();
        var kernel = stack(parts.Select(p => p.weight.t().view(p.kernelShape)).ToList(), 1);
        var bias = first.flatBias is null ? null : stack(parts.Select(p => p.flatBias!.view(p.kernelShape[1..])).ToList(), 0);
        return new EinsumProjection(own(kernel.MoveToOuterDisposeScope()), bias is null ? null : own(bias.MoveToOuterDisposeScope()), 1, own);
    }

    /// <summary>
    /// Applies the projection to <paramref name="x"/>, contracting its last axes (as many as the kernel's input axes)
    /// with the kernel's first ones: Keras's projection equation for the input's rank.
    /// </summary>
    public Tensor Apply(Tensor x)
    {
        var shape = x.Sizes();
        if (shape.Length < boundDims || shape[^boundDims..].Aggregate(1L, (a, b) => a * b) != inner)
            throw new ArgumentException($"projection of shape ({string.Join(", ", shape)}) with a kernel ({string.Join(", ", kernelShape)}) is undefined");
        int contracted = shape.Length - boundDims;
        var y = nn.functional.linear(boundDims == 1 ? x : x.flatten(contracted), weight, flatBias);
        // One new axis is linear's own output; several are unflattened (TorchSharp's unflatten takes no negative axis).
        return kernelShape.Length - boundDims == 1 ? y : y.unflatten(contracted, kernelShape[boundDims..]);
    }

    /// <summary>
    /// Builds sub-layer <paramref name="sublayer"/> from the layer's weights, found by name (the sub-layer's
    /// weights sit under its own name: <c>mha/query/kernel</c> in legacy files, <c>query_dense/vars/0</c> or
    /// <c>_query_dense/vars/0</c> in Keras 3 files, whose alphabetical order is not Keras's).
    /// <paramref name="names"/> are the names the sub-layer goes by; <paramref name="own"/> keeps the tensors alive.
    /// When weights are being created (a file without weights, none named), the sub-layer takes the next ones, so
    /// creating the projections in Keras's order (query, key, value, output; kernel then bias) gives Keras's order.
    /// </summary>
    public static EinsumProjection Create(LayerContext context, string sublayer, string[] names,
        bool useBias, long[] kernelShape, long[] biasShape, Func<Tensor, Tensor> own)
    {
        int? kernel = null, bias = null;
        for (int i = 0; i < context.Weights.Count; i++)
        {
            if (ParseName(context.Weights[i].Name) is not var (owner, role) || !names.Contains(owner)) continue;
            if (role is "kernel" or "0") kernel = i;
            else if (role is "bias" or "1") bias = i;
        }
        if (kernel is null && context.InitializeMissingWeights && context.Weights.All(w => ParseName(w.Name) is null))
        {
            kernel = context.Weights.Count;
            bias = useBias ? kernel + 1 : null;
        }
        if (kernel is null)
            throw new WeightMismatchException(context.Name, sublayer, $"{context.ClassName} has no kernel for its '{sublayer}' projection among its weights");
        if (useBias != bias.HasValue)
            throw new WeightMismatchException(context.Name, sublayer, useBias
                ? $"{context.ClassName} has use_bias=True but no bias for its '{sublayer}' projection"
                : $"{context.ClassName} has use_bias=False but a bias for its '{sublayer}' projection");
        return new EinsumProjection(
            own(context.Weight(kernel.Value, sublayer + " kernel", kernelShape)),
            bias is { } b ? own(context.Weight(b, sublayer + " bias", biasShape)) : null,
            kernelShape.Length - biasShape.Length, own);
    }

    /// <summary>
    /// The owning sub-layer and the role of a weight name: <c>.../query/kernel:0</c> gives (query, kernel),
    /// <c>.../query_dense/vars/1</c> gives (query_dense, 1). Null for a name of neither form.
    /// </summary>
    static (string Owner, string Role)? ParseName(string name)
    {
        int colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/')) name = name[..colon];
        var parts = name.Split('/');
        if (parts.Length >= 3 && parts[^2] == "vars") return (parts[^3], parts[^1]);
        if (parts.Length >= 2 && parts[^1] is "kernel" or "bias") return (parts[^2], parts[^1]);
        return null;
    }
}
