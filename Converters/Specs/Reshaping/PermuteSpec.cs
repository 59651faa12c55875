namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>Permute</c> (keras/src/layers/reshaping/permute.py).</summary>
/// <param name="Dims">The new order of the non-batch axes, numbered from 1.</param>
public sealed record PermuteSpec(long[] Dims) : LayerSpec, ILayerSpec<PermuteSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Permute"];

    /// <inheritdoc />
    public static PermuteSpec Read(LayerReader layer)
    {
        var dims = (layer.Ints("dims") ?? throw layer.ConfigError("dims", "missing")).Select(d => (long)d).ToArray();
        return dims.Order().SequenceEqual(Enumerable.Range(1, dims.Length).Select(d => (long)d)) ? new(dims)
            : throw layer.ConfigError("dims", $"must be a permutation of 1..{dims.Length}, got ({string.Join(", ", dims)})");
    }

    /// <summary>The full permutation of a batch-first tensor: the batch axis stays first.</summary>
    public long[] Order => [0, .. Dims];
}
