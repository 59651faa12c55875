namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>Reshape</c> (keras/src/layers/reshaping/reshape.py).</summary>
/// <param name="TargetShape">The output shape without the batch axis; one entry may be -1 (inferred).</param>
public sealed record ReshapeSpec(long[] TargetShape) : LayerSpec, ILayerSpec<ReshapeSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["Reshape"];

    /// <inheritdoc />
    public static ReshapeSpec Read(LayerReader layer) =>
        new((layer.Ints("target_shape") ?? throw layer.ConfigError("target_shape", "missing")).Select(d => (long)d).ToArray());
}
