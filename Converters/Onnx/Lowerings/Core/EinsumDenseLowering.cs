namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>EinsumDense as ONNX Einsum (reference semantics: Runtime/Layers/Core/EinsumDense.cs).</summary>
internal static class EinsumDenseLowering
{
    /// <summary>
    /// EinsumDense: <c>activation(einsum(equation, x, kernel) + bias)</c>, the bias already broadcastable; quantized
    /// and LoRA kernels as in <see cref="DenseLowering"/>, with the axes of Runtime/Layers/Core/EinsumDense.cs.
    /// </summary>
    public static OnnxLowered Lower(OnnxLayerCall call, EinsumDenseSpec spec)
    {
        var c = KernelCalls.MergedLora(call);
        var g = c.Graph;
        var x = c.Input;
        var equation = spec.Equation;
        bool useBias = spec.UseBias;
        OnnxValue y;
        int bias = 1;
        if (spec.Options.Quantization is { } quantization)
        {
            if (equation.Contains("...", StringComparison.Ordinal)) throw c.Unsupported($"a quantized EinsumDense with an ellipsis ('{equation}')");
            var (inputLetters, kernelLetters, outputLetters) = (spec.InputLetters, spec.KernelLetters, spec.OutputLetters);
            long Size(char letter) => spec.Size(letter, i => x.Dim(i));
            long Product(IEnumerable<char> letters) => letters.Select(Size).Aggregate(1L, (a, b) => a * b);
            var geometry = new OnnxKernelGeometry(kernelLetters.Select(Size).ToArray(), Product(kernelLetters.Where(l => !outputLetters.Contains(l))),
                Product(kernelLetters.Where(outputLetters.Contains)), outputLetters.Select(l => kernelLetters.Contains(l) ? Size(l) : 1L).ToArray(), spec.ReducedInputAxes,
                s => InputScaleToOutput(g, s, inputLetters, outputLetters), (a, k) => g.Einsum(equation, a, k),
                (a, k) => g.Einsum(equation, g.Cast(a, OnnxType.Int32), g.Cast(k, OnnxType.Int32)), Int4DividesOutput: false);
            (y, bias) = KernelCalls.Quantized(c, spec, quantization, x, geometry);
        }
        else y = g.Einsum(equation, x, KernelCalls.Plain(c, useBias).Weight(0, "kernel", c.Weights[0].Value.Shape));
        if (useBias) y = g.Add(y, c.Weight(bias, "bias", c.Weights[bias].Value.Shape));
        return c.Pass(c.ApplyActivation(spec.Activation, y));
    }

    /// <summary>
    /// An int8 input scale (the input's axes, size 1 on the contracted ones) on the output's axes, as einsum_dense.py
    /// <c>_adjust_scale_for_quant(inputs_scale, "input")</c> makes it: the kept axes in output order, size 1 elsewhere.
    /// </summary>
    static OnnxValue InputScaleToOutput(OnnxGraph g, OnnxValue scale, string inputLetters, string outputLetters)
    {
        var kept = string.Concat(inputLetters.Where(outputLetters.Contains));
        var squeezed = g.Squeeze(scale, inputLetters.Select((l, i) => (l, i)).Where(p => !kept.Contains(p.l)).Select(p => p.i).ToArray());
        var order = outputLetters.Where(kept.Contains).Select(l => (long)kept.IndexOf(l)).ToArray();
        var ordered = order.SequenceEqual(Enumerable.Range(0, order.Length).Select(i => (long)i)) ? squeezed : g.Transpose(squeezed, order);
        var missing = outputLetters.Select((l, i) => (l, i)).Where(p => !kept.Contains(p.l)).Select(p => p.i).ToArray();
        return missing.Length == 0 ? ordered : g.Unsqueeze(ordered, missing);
    }
}
