namespace KerasPort.Converters.Onnx.Lowerings;

/// <summary>Keras's core layers as ONNX nodes (reference semantics: Runtime/Layers/Core).</summary>
internal static class CoreLowerings
{
    /// <summary>Adds this family's lowerings to <paramref name="table"/>.</summary>
    public static void Register(IDictionary<string, OnnxLowering> table)
    {
        OnnxLowerings.Add<DenseSpec>(table, Dense);
        OnnxLowerings.Add<EinsumDenseSpec>(table, EinsumDense);
        OnnxLowerings.Add<EmbeddingSpec>(table, Embedding);
        OnnxLowerings.Add<ActivationSpec>(table, (c, s) => c.Pass(c.ApplyActivation(s.Activation, c.Input)));
        OnnxLowerings.Add<MaskingSpec>(table, Masking);
        OnnxLowerings.Add<IdentitySpec>(table, (c, _) => c.Pass(c.Input));
        OnnxLowerings.Add<ActivityRegularizationSpec>(table, (c, _) => c.Pass(c.Input));
        foreach (var name in Keras.ImageAugmentationClasses.Names) table[name] = c => c.Pass(c.Input);
        OnnxLowerings.Add<ReversibleEmbeddingSpec>(table, ReversibleEmbedding);
    }

    /// <summary>
    /// Dense: <c>activation(x @ kernel + bias)</c> on the last axis of an input of any rank; a quantized kernel as Keras
    /// computes with it (<see cref="QuantizedLowerings"/>), a legacy file's LoRA matrices merged (<see cref="LegacyLora"/>).
    /// </summary>
    static OnnxLowered Dense(OnnxLayerCall call, DenseSpec spec)
    {
        var c = MergedLora(call);
        var g = c.Graph;
        var x = c.Input;
        long units = spec.Units;
        bool useBias = spec.UseBias;
        var (y, bias) = spec.Options.Quantization is { } quantization
            ? Quantized(c, spec, quantization, x, new OnnxKernelGeometry([x.Dim(-1), units], x.Dim(-1), units, [units], [-1], s => s,
                g.MatMul, g.MatMulInteger, Int4DividesOutput: true))
            : (g.MatMul(x, Plain(c, useBias).Weight(0, "kernel", x.Dim(-1), units)), 1);
        if (useBias) y = g.Add(y, c.Weight(bias, "bias", units));
        return c.Pass(c.ApplyActivation(spec.Activation, y));
    }

    /// <summary>
    /// EinsumDense: <c>activation(einsum(equation, x, kernel) + bias)</c>, the bias already broadcastable; quantized
    /// and LoRA kernels as in <see cref="Dense"/>, with the axes of Runtime/Layers/Core/EinsumDense.cs.
    /// </summary>
    static OnnxLowered EinsumDense(OnnxLayerCall call, EinsumDenseSpec spec)
    {
        var c = MergedLora(call);
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
            (y, bias) = Quantized(c, spec, quantization, x, geometry);
        }
        else y = g.Einsum(equation, x, Plain(c, useBias).Weight(0, "kernel", c.Weights[0].Value.Shape));
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

    /// <summary>A legacy file's LoRA layer as the call of its merged layer; any other call as it is.</summary>
    static OnnxLayerCall MergedLora(OnnxLayerCall c) =>
        LegacyLora.HoldsUnmergedMatrices(c.Description) ? c.Inner(LegacyLora.Merged(c.Description), c.Args, c.Kwargs, c.Mask) : c;

    /// <summary>A float layer's call, checked to hold the kernel and (with <paramref name="useBias"/>) the bias.</summary>
    static OnnxLayerCall Plain(OnnxLayerCall c, bool useBias)
    {
        c.ExpectWeightCount(useBias ? 2 : 1);
        return c;
    }

    /// <summary>The quantized product of <paramref name="x"/> and the index of the bias among the weights (-1 without one).</summary>
    static (OnnxValue Product, int Bias) Quantized(OnnxLayerCall c, IKernelSpec spec, KerasQuantization quantization, OnnxValue x, OnnxKernelGeometry geometry)
    {
        var roles = c.WeightIndicesByRole(spec.WeightNames);
        return (QuantizedLowerings.Product(c, quantization, roles, geometry, x), roles.GetValueOrDefault("bias", -1));
    }

    /// <summary>
    /// Embedding: Gather rows of <c>[input_dim, output_dim]</c> (a quantized table de-scaled first:
    /// <see cref="QuantizedLowerings.EmbeddingTable"/>); with <c>mask_zero</c> the output is masked where the id is 0.
    /// </summary>
    static OnnxLowered Embedding(OnnxLayerCall c, EmbeddingSpec spec)
    {
        var g = c.Graph;
        var (inputDim, outputDim) = (spec.InputDim, spec.OutputDim);
        var table = spec.Options.Quantization is { } quantization
            ? QuantizedLowerings.EmbeddingTable(c, quantization, spec.WeightNames, inputDim, outputDim)
            : Plain(c, useBias: false).Weight(0, "embeddings", inputDim, outputDim);
        var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
        var output = g.Gather(table, ids, 0);
        return new OnnxLowered([output], spec.MaskZero ? NotEqual(g, c.Input, 0) : null);
    }

    /// <summary>
    /// ReversibleEmbedding (Runtime/Layers/Core/ReversibleEmbedding.cs): the lookup, or with <c>reverse=True</c>
    /// <c>x @ embeddings^T</c> (tied) or <c>x @ reverse_embeddings</c>, soft-capped as <c>tanh(logits / cap) * cap</c>.
    /// </summary>
    static OnnxLowered ReversibleEmbedding(OnnxLayerCall c, ReversibleEmbeddingSpec spec)
    {
        var g = c.Graph;
        c.ExpectWeightCount(spec.WeightRoles.Count);
        var (inputDim, outputDim) = (spec.InputDim, spec.OutputDim);
        if (spec.UnsupportedReverseDtype is { } reverseDtype) throw c.Unsupported($"reverse_dtype '{reverseDtype}'");
        bool reverse = c.Kwargs.TryGetValue("reverse", out var flag) && flag is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        if (!reverse)
        {
            var ids = c.Input.Type == OnnxType.Float ? g.Cast(c.Input, OnnxType.Int64) : c.Input;
            return new OnnxLowered([g.Gather(c.Weight(0, "embeddings", inputDim, outputDim), ids, 0)], spec.MaskZero ? NotEqual(g, c.Input, 0) : null);
        }
        var kernel = spec.TieWeights
            ? g.Transpose(c.Weight(0, "embeddings", inputDim, outputDim), 1, 0)
            : c.Weight(1, "reverse_embeddings", outputDim, inputDim);
        var logits = g.MatMul(c.Input, kernel);
        if (spec.LogitSoftCap is { } cap) logits = g.Scale(g.Unary("Tanh", g.Div(logits, g.Scalar(cap))), cap);
        return OnnxLayerCall.Drop(logits);
    }

    /// <summary>Boolean <c>x != value</c> with the constant in <paramref name="x"/>'s type.</summary>
    internal static OnnxValue NotEqual(OnnxGraph g, OnnxValue x, double value) =>
        g.Unary("Not", g.Compare("Equal", x, g.ScalarOf(x.Type, value)));

    /// <summary>Masking: zeroes time steps whose features all equal <c>mask_value</c> and masks them.</summary>
    static OnnxLowered Masking(OnnxLayerCall c, MaskingSpec spec)
    {
        var g = c.Graph;
        var x = c.Input;
        var differs = g.Cast(NotEqual(g, x, spec.MaskValue), OnnxType.Float);
        var keep = g.Reduce("ReduceMax", differs, [-1], keepDims: false);
        var output = g.Mul(x, g.Unsqueeze(keep, -1));
        return new OnnxLowered([output], g.Cast(keep, OnnxType.Bool));
    }
}
