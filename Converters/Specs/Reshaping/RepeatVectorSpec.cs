namespace KerasPort.Specs.Reshaping;

/// <summary>Keras <c>RepeatVector</c> (keras/src/layers/reshaping/repeat_vector.py): <c>(batch, features)</c> to <c>(batch, n, features)</c>.</summary>
/// <param name="N">The repetition count.</param>
public sealed record RepeatVectorSpec(long N) : LayerSpec, ILayerSpec<RepeatVectorSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["RepeatVector"];

    /// <inheritdoc />
    public static RepeatVectorSpec Read(LayerReader layer) => new(layer.IntAtLeast("n", 1, 0));
}
