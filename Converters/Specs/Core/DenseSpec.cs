namespace KerasPort.Specs.Core;

/// <summary>
/// Keras <c>Dense</c> (keras/src/layers/core/dense.py): <c>activation(x @ kernel + bias)</c> on the last axis, the
/// kernel <c>[input_dim, units]</c>; quantized (int8, int4, float8) or LoRA as <see cref="Options"/> says.
/// </summary>
/// <param name="Units">The output size; -1 when the config omits it (the kernel's shape decides).</param>
/// <param name="Activation">The activation's name.</param>
/// <param name="UseBias">Whether the layer adds a bias.</param>
/// <param name="Options">Quantization and LoRA.</param>
public sealed record DenseSpec(long Units, string Activation, bool UseBias, KernelOptions Options) : LayerSpec, ILayerSpec<DenseSpec>, IKernelSpec
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Dense"];

    /// <inheritdoc />
    public static DenseSpec Read(LayerReader layer) =>
        new(ReadSize(layer, "units"), layer.ActivationName(), layer.Bool("use_bias", true), KernelOptions.Read(layer));

    /// <summary>A size under <paramref name="key"/>: positive, or -1 when absent.</summary>
    internal static long ReadSize(LayerReader layer, string key)
    {
        int size = layer.Int(key, -1);
        return size > 0 || !layer.Has(key) ? size : throw layer.ConfigError(key, $"must be positive, got {size}");
    }

    /// <inheritdoc />
    public override IReadOnlyList<WeightRole> WeightRoles =>
        Options.Roles("Dense", UseBias, UseBias ? [new("kernel", "W"), new("bias", "b")] : [new("kernel", "W")]);
}
