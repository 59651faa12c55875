namespace KerasPort.Specs.Preprocessing;

/// <summary>Keras <c>StringLookup</c> (keras/src/layers/preprocessing/string_lookup.py): OOV token <c>[UNK]</c>, no mask token by default.</summary>
/// <param name="Lookup">The lookup table's config.</param>
public sealed record StringLookupSpec(IndexLookupConfig Lookup) : LayerSpec, ILayerSpec<StringLookupSpec>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> ClassNames { get; } = ["StringLookup"];

    /// <inheritdoc />
    public static StringLookupSpec Read(LayerReader layer) => new(IndexLookupConfig.Read(layer, defaultMask: null, defaultOov: "[UNK]"));
}
