using KerasPort.Runtime.Layers;

namespace KerasPort.Runtime.Quantization;

/// <summary>
/// The variables of a Dense or EinsumDense as the file holds them: a float kernel and bias; a quantized kernel with
/// its scales (<see cref="KerasQuantization"/>); or a LoRA layer, whose Keras 3 files hold the merged kernel and whose
/// legacy files hold the base kernel and <c>lora_kernel_a/b</c> (keras/src/layers/core/dense.py
/// <c>save_own_variables</c>, <c>enable_lora</c>).
/// </summary>
internal sealed class KernelVariables
{
    readonly (int Rank, double Alpha)? lora;
    readonly bool frozenKernel;
    readonly bool loraMerged;

    KernelVariables(WeightRoles roles, KerasQuantization? quantization, (int Rank, double Alpha)? lora, bool loraMerged)
    {
        Roles = roles;
        Quantization = quantization;
        this.lora = lora;
        this.loraMerged = loraMerged;
        frozenKernel = quantization is { FreezesVariables: true } || lora is not null;
    }

    /// <summary>The layer's weights by role.</summary>
    public WeightRoles Roles { get; }

    /// <summary>The layer's quantization, or null for a float kernel.</summary>
    public KerasQuantization? Quantization { get; }

    /// <summary>
    /// LoRA parameters Keras counts but a Keras 3 file does not hold, given the layer's <paramref name="weights"/>: it
    /// saves the merged kernel, and the reloaded layer still has <c>lora_kernel_a</c> (kernel shape[:-1] + rank) and
    /// <c>lora_kernel_b</c> (rank, units), set to zeros (dense.py <c>load_own_variables</c>).
    /// </summary>
    public long UnsavedLoraParams(IReadOnlyList<WeightArray> weights)
    {
        if (!loraMerged || lora is not { } settings || weights.Count == 0) return 0;
        var kernelShape = weights[Roles["kernel"]].Value.Shape;
        return settings.Rank * (kernelShape[..^1].Aggregate(1L, (a, b) => a * b) + kernelShape[^1]);
    }

    /// <summary>Reads the variables of <paramref name="context"/>'s layer, named and quantized or LoRA as <paramref name="spec"/> says.</summary>
    public static KernelVariables Of(LayerContext context, IKernelSpec spec)
    {
        var (quantization, lora) = (spec.Options.Quantization, spec.Options.Lora);
        if (quantization is not null)
        {
            if (lora is not null)
                throw new UnsupportedLayerException(context.ClassName, context.Name, "LoRA on a quantized layer is not supported");
            return new(WeightRoles.Of(context, spec.WeightNames), quantization, null, false);
        }
        var plain = spec.WeightNames;
        bool hasBias = plain.Contains("bias");
        if (lora is null) return new(WeightRoles.Positional(context, plain), null, null, false);
        return context.Weights.Count > plain.Count
            ? new(WeightRoles.Of(context, KerasQuantization.LegacyLoraVariables(hasBias)), null, lora, false)
            : new(WeightRoles.Positional(context, plain), null, lora, true);
    }

    /// <summary>Weight <paramref name="role"/>, checked against <paramref name="shape"/>.</summary>
    public Tensor Weight(LayerContext context, string role, params long[] shape) => context.Weight(Roles[role], role, shape);

    /// <summary>
    /// The float kernel of shape <paramref name="shape"/>: as stored, or with a legacy file's LoRA matrices merged as
    /// Keras's <c>kernel</c> property does: kernel + (lora_alpha / lora_rank) · (lora_kernel_a @ lora_kernel_b).
    /// </summary>
    public Tensor FloatKernel(LayerContext context, params long[] shape)
    {
        var kernel = Weight(context, "kernel", shape);
        if (lora is not { } settings || !Roles.Has("lora_kernel_a")) return kernel;
        using var scope = NewDisposeScope();
        var a = Weight(context, "lora_kernel_a", [.. kernel.Sizes()[..^1], settings.Rank]);
        var b = Weight(context, "lora_kernel_b", settings.Rank, kernel.size(-1));
        var merged = kernel.add(a.matmul(b), KeptScalars.Of(settings.Alpha / settings.Rank));
        kernel.Dispose();
        return merged.MoveToOuterDisposeScope();
    }

    /// <summary>True for a weight Keras freezes: a quantized layer's kernel and scales, a LoRA layer's base kernel.</summary>
    public bool IsFrozen(int index) => frozenKernel && Roles.IsFrozen(index);
}
