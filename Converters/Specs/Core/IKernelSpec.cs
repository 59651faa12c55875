namespace KerasPort.Specs.Core;

/// <summary>A spec of a layer that may be quantized or carry LoRA: Dense, EinsumDense, Embedding.</summary>
public interface IKernelSpec
{
    /// <summary>The layer's quantization and LoRA settings.</summary>
    KernelOptions Options { get; }

    /// <summary>The names of the weights in the order Keras saves them for <see cref="Options"/>'s quantization mode.</summary>
    IReadOnlyList<string> WeightNames { get; }
}
