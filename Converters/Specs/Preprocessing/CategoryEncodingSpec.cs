namespace KerasPort.Specs.Preprocessing;

/// <summary>
/// Keras <c>CategoryEncoding</c> (keras/src/layers/preprocessing/category_encoding.py): integer ids to
/// <c>one_hot</c>, <c>multi_hot</c> or <c>count</c> vectors of length <c>num_tokens</c>.
/// </summary>
/// <param name="NumTokens">The vector length.</param>
/// <param name="OutputMode"><c>one_hot</c>, <c>multi_hot</c> (the default) or <c>count</c>.</param>
public sealed record CategoryEncodingSpec(int NumTokens, string OutputMode) : LayerSpec, ILayerSpec<CategoryEncodingSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["CategoryEncoding"];

    /// <inheritdoc />
    public static CategoryEncodingSpec Read(LayerReader layer) =>
        new(layer.Int("num_tokens", -1), layer.OneOf("output_mode", "multi_hot", "one_hot", "multi_hot", "count"));
}
