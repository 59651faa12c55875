using KerasPort.Converters;

namespace KerasPort.Specs.Core;

/// <summary>
/// What Keras's Dense, EinsumDense and Embedding carry beside their float weights (keras/src/layers/core/dense.py,
/// einsum_dense.py, embedding.py): the quantization mode of their dtype policy and the LoRA settings.
/// </summary>
/// <param name="Quantization">The quantization of the dtype policy (<c>model.quantize(...)</c>), or null for a float layer.</param>
/// <param name="Lora">The <c>lora_rank</c> and <c>lora_alpha</c> (which defaults to the rank), or null without LoRA.</param>
public sealed record KernelOptions(KerasQuantization? Quantization, (int Rank, double Alpha)? Lora)
{
    /// <summary>
    /// Reads the options of <paramref name="layer"/>; the quantization mode comes from the dtype policy, which is what
    /// Keras decides by (its <c>quantization_config</c> only tunes how a float model is quantized).
    /// </summary>
    /// <exception cref="UnsupportedLayerException">A quantization mode KerasPort does not compute (GPTQ, AWQ, ...).</exception>
    public static KernelOptions Read(LayerReader layer) =>
        new(KerasQuantization.Of(layer.Config, layer.ClassName, layer.Name), KerasQuantization.Lora(layer.Config));

    /// <summary>
    /// The weight roles in the order Keras saves them (<c>variable_serialization_spec</c> for the quantization mode,
    /// without the variables the layer lacks); <paramref name="plain"/> for a float layer. A LoRA layer saves its merged
    /// kernel, so its roles are the plain ones.
    /// </summary>
    public IReadOnlyList<WeightRole> Roles(string className, bool hasBias, IReadOnlyList<WeightRole> plain) =>
        Quantization is { } quantization
            ? [.. quantization.Variables(className, hasBias).Select(name => plain.FirstOrDefault(r => r.Name == name) ?? new WeightRole(name))]
            : plain;
}
